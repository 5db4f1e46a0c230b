// Short-lived bearer tokens the Worker issues itself (dashboard sign-in), signed exactly like
// the tokens of the rest of the platform so the one `authenticate` middleware accepts them.
import { sign } from "hono/jwt";
import type { Principal } from "../env";
import { iso } from "../schemas/common";
import type { JwtSettings } from "./jwt";

export interface IssuedToken extends Principal {
  token: string;
  expiresAt: string;
}

export async function issueToken(jwt: JwtSettings, principal: Principal, ttlSeconds: number, now: Date): Promise<IssuedToken> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const claims = {
    ...principal,
    iat,
    exp,
    ...(jwt.issuer ? { iss: jwt.issuer } : {}),
    ...(jwt.audience ? { aud: jwt.audience } : {}),
  };
  const token = await sign(claims, jwt.secret, "HS256");
  return { ...principal, token, expiresAt: iso(new Date(exp * 1000)) };
}
