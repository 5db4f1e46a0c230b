// Bearer token verification: HS256 only, `exp` required, `iss`/`aud` checked when configured.
import { verify } from "hono/utils/jwt/jwt";
import { decodeHeader } from "hono/utils/jwt/jwt";
import { z } from "zod";
import type { Principal } from "../env";
import { ROLES } from "./roles";

export const ORG_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  org: z.string().regex(ORG_PATTERN),
  role: z.enum(ROLES),
  exp: z.number(),
});

export interface JwtSettings {
  secret: string;
  issuer?: string;
  audience?: string;
}

/** Returns the principal, or null for any token that is not valid for this service. */
export async function verifyToken(token: string, settings: JwtSettings): Promise<Principal | null> {
  try {
    // hono's verify also pins the algorithm, but checking the header first keeps
    // "alg: none" and asymmetric algorithms out whatever the library does.
    if (decodeHeader(token).alg !== "HS256") return null;
    const payload = await verify(token, settings.secret, {
      alg: "HS256",
      ...(settings.issuer ? { iss: settings.issuer } : {}),
      ...(settings.audience ? { aud: settings.audience } : {}),
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const { sub, org, role } = claims.data;
    return { sub, org, role };
  } catch {
    return null;
  }
}
