// Bearer token verification: HS256 only, `exp` required, `iss`/`aud` checked when configured.
//
// Callers send the same token on request after request until it expires, so an isolate keeps
// the tokens it has fully verified (per settings object: a new secret, issuer or audience is a
// new config, hence a cold cache) and only re-checks `exp` on a repeat. The key is the whole
// token string, signature included: a hit means these exact bytes passed every check before,
// and `nbf`/`iat` only ever pass more easily as time goes on. The imported HMAC key is kept
// too (importKey on every request was measurable in `npm run bench`, P1).
import { decodeHeader, verify } from "hono/utils/jwt/jwt";
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

/** Verified tokens kept per isolate and settings; the oldest is dropped beyond this. */
export const VERIFIED_TOKENS_KEPT = 1000;

interface Verified {
  principal: Principal;
  /** Seconds since the epoch, as in the token. */
  exp: number;
}

interface SettingsState {
  key: Promise<CryptoKey>;
  verified: Map<string, Verified>;
}

const stateBySettings = new WeakMap<JwtSettings, SettingsState>();

function stateOf(settings: JwtSettings): SettingsState {
  let state = stateBySettings.get(settings);
  if (!state) {
    const key = crypto.subtle.importKey("raw", new TextEncoder().encode(settings.secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    state = { key, verified: new Map() };
    stateBySettings.set(settings, state);
  }
  return state;
}

/** Returns the principal, or null for any token that is not valid for this service. */
export async function verifyToken(token: string, settings: JwtSettings): Promise<Principal | null> {
  const state = stateOf(settings);
  const seen = state.verified.get(token);
  if (seen) {
    if (seen.exp > Math.floor(Date.now() / 1000)) return seen.principal;
    state.verified.delete(token);
    return null;
  }
  const principal = await verifyAfresh(token, settings, state.key);
  if (principal) {
    if (state.verified.size >= VERIFIED_TOKENS_KEPT) state.verified.delete(state.verified.keys().next().value!);
    state.verified.set(token, principal);
  }
  return principal?.principal ?? null;
}

async function verifyAfresh(token: string, settings: JwtSettings, key: Promise<CryptoKey>): Promise<Verified | null> {
  try {
    // hono's verify also pins the algorithm, but checking the header first keeps
    // "alg: none" and asymmetric algorithms out whatever the library does.
    if (decodeHeader(token).alg !== "HS256") return null;
    const payload = await verify(token, await key, {
      alg: "HS256",
      ...(settings.issuer ? { iss: settings.issuer } : {}),
      ...(settings.audience ? { aud: settings.audience } : {}),
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const { sub, org, role, exp } = claims.data;
    // Frozen: one object is handed to every request that presents this token.
    return { principal: Object.freeze({ sub, org, role }), exp };
  } catch {
    return null;
  }
}

/** How many verified tokens this isolate keeps for `settings` (for tests of the bound). */
export const verifiedTokenCount = (settings: JwtSettings) => stateBySettings.get(settings)?.verified.size ?? 0;
