// The Hono environment: bindings come from the generated worker-configuration.d.ts
// (`npm run cf-typegen`), never written by hand; `db` and `config` are put on every request's
// context by middleware/context.ts, so handlers never build their own.
import type { Role } from "./auth/roles";
import type { Db } from "./db/client";
import type { Config } from "./lib/config";

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
    db: Db;
    config: Config;
  };
}
