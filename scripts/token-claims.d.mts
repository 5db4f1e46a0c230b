export declare const ROLES: readonly string[];
export declare const USAGE: string;
export interface TokenArgs {
  org?: string;
  role?: string;
  sub?: string;
  ttl?: string;
}
export declare function tokenClaims(
  args: TokenArgs,
  vars: { JWT_ISSUER?: string; JWT_AUDIENCE?: string },
  now: number,
): { ok: true; claims: Record<string, unknown> } | { ok: false; error: string };
/** tokenClaims for now, signed with `vars.JWT_SECRET` as `npm run token` signs; throws on bad arguments. */
export declare function signedToken(args: TokenArgs, vars: { JWT_SECRET?: string; JWT_ISSUER?: string; JWT_AUDIENCE?: string }): Promise<string>;
