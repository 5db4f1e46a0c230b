// Short-lived bearer tokens the Worker issues itself (dashboard sign-in), signed exactly like
// the tokens of the rest of the platform so the one `authenticate` middleware accepts them.
import { sign } from "hono/jwt";
import type { Principal } from "../env";

export interface IssuedToken extends Principal {
  token: string;
  expiresAt: string;
}

export async function issueToken(env: Env, principal: Principal, ttlSeconds: number, now: Date): Promise<IssuedToken> {
  if (!env.JWT_SECRET) throw new Error("JWT_SECRET is not configured");
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const claims = {
    ...principal,
    iat,
    exp,
    ...(env.JWT_ISSUER ? { iss: env.JWT_ISSUER } : {}),
    ...(env.JWT_AUDIENCE ? { aud: env.JWT_AUDIENCE } : {}),
  };
  const token = await sign(claims, env.JWT_SECRET, "HS256");
  return { ...principal, token, expiresAt: new Date(exp * 1000).toISOString() };
}
