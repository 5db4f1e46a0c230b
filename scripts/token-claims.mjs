// The claims of `npm run token`, kept apart from the CLI so the tests can check that every token
// it makes is one the Worker accepts, and that bad arguments are refused with a message.
// `signedToken` is the whole of `npm run token` for the scripts and tests that need one.
import { sign } from "hono/jwt";

export const ROLES = ["viewer", "staff", "admin", "service"];
export const USAGE = `usage: npm run --silent token -- --org ORG --role ${ROLES.join("|")} [--sub NAME] [--ttl SECONDS]`;

/** @type {import("./token-claims.d.mts").tokenClaims} */
export function tokenClaims({ org, role, sub = "local-dev", ttl = "3600" }, vars, now) {
  if (!org || !/^[A-Za-z0-9_-]{1,64}$/.test(org)) return { ok: false, error: "--org must match [A-Za-z0-9_-]{1,64}" };
  if (!role || !ROLES.includes(role)) return { ok: false, error: `--role must be one of ${ROLES.join(", ")}` };
  if (!sub || sub.length > 256) return { ok: false, error: "--sub must be 1 to 256 characters" };
  const seconds = Number(ttl);
  if (!/^\d+$/.test(ttl) || !Number.isSafeInteger(seconds) || seconds <= 0) {
    return { ok: false, error: "--ttl must be a positive whole number of seconds" };
  }

  const claims = { sub, org, role, iat: now, exp: now + seconds };
  if (vars.JWT_ISSUER) claims.iss = vars.JWT_ISSUER;
  if (vars.JWT_AUDIENCE) claims.aud = vars.JWT_AUDIENCE;
  return { ok: true, claims };
}

/** @type {import("./token-claims.d.mts").signedToken} */
export async function signedToken(args, vars) {
  const made = tokenClaims(args, vars, Math.floor(Date.now() / 1000));
  if (!made.ok) throw new Error(made.error);
  return sign(made.claims, vars.JWT_SECRET, "HS256");
}
