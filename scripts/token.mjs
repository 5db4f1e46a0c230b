// `npm run --silent token -- --org ORG --role ROLE [--sub NAME] [--ttl SECONDS]`
// prints one HS256 JWT signed with the JWT_SECRET of .dev.vars.
import { parseArgs } from "node:util";
import { readDevVars } from "./dev-vars.mjs";
import { signedToken, USAGE } from "./token-claims.mjs";

const fail = (message) => {
  console.error(`token: ${message}\n${USAGE}`);
  process.exit(2);
};

let args;
try {
  ({ values: args } = parseArgs({
    options: { org: { type: "string" }, role: { type: "string" }, sub: { type: "string" }, ttl: { type: "string" } },
  }));
} catch (error) {
  fail(error.message);
}
const vars = readDevVars();
if (!vars.JWT_SECRET) fail(".dev.vars has no JWT_SECRET");
let token;
try {
  token = await signedToken(args, vars);
} catch (error) {
  fail(error.message);
}
process.stdout.write(`${token}\n`);
