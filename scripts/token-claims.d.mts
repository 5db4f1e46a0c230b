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
