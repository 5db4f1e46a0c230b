// `npm run --silent token -- --org ORG --role ROLE [--sub NAME] [--ttl SECONDS]`
// prints one HS256 JWT signed with the JWT_SECRET of .dev.vars.
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { readDevVars } from "./dev-vars.mjs";

const ROLES = ["viewer", "staff", "admin", "service"];
const { values } = parseArgs({
  options: {
    org: { type: "string" },
    role: { type: "string" },
    sub: { type: "string", default: "local-dev" },
    ttl: { type: "string", default: "3600" },
  },
});
const fail = (message) => {
  console.error(`token: ${message}\nusage: npm run --silent token -- --org ORG --role ${ROLES.join("|")} [--sub NAME] [--ttl SECONDS]`);
  process.exit(2);
};
if (!values.org || !/^[A-Za-z0-9_-]{1,64}$/.test(values.org)) fail("--org must match [A-Za-z0-9_-]{1,64}");
if (!ROLES.includes(values.role)) fail(`--role must be one of ${ROLES.join(", ")}`);
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) fail("--ttl must be a positive whole number of seconds");

const vars = readDevVars();
if (!vars.JWT_SECRET) fail(".dev.vars has no JWT_SECRET");
const now = Math.floor(Date.now() / 1000);
const claims = { sub: values.sub, org: values.org, role: values.role, iat: now, exp: now + ttl };
if (vars.JWT_ISSUER) claims.iss = vars.JWT_ISSUER;
if (vars.JWT_AUDIENCE) claims.aud = vars.JWT_AUDIENCE;
process.stdout.write(`${await sign(claims, vars.JWT_SECRET, "HS256")}\n`);
