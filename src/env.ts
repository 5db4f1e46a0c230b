// The Hono environment: bindings come from the generated worker-configuration.d.ts
// (`npm run cf-typegen`), never written by hand.
import type { Role } from "./auth/roles";

export interface Principal {
  sub: string;
  org: string;
  role: Role;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: Principal;
  };
}
