// The one Node API the bench build uses (workerd provides it under nodejs_compat); declared
// here rather than pulling all of @types/node into a Workers project.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
