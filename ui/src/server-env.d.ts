// The server modules whose types the dashboard borrows (src/schemas/*) mention the Worker's
// runtime types in passing; the browser build never touches a binding, so opaque stand-ins
// satisfy the type check without pulling the Workers runtime types in beside the DOM's.
type Env = Record<string, unknown>;
type D1Database = unknown;
