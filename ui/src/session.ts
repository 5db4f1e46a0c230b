// The signed-in session: kept in sessionStorage (this tab only, gone when it closes), never in
// a URL. Components read it with useSession(); the API client clears it on a 401.
import { useSyncExternalStore } from "react";
import { ROLES, type Role } from "../../src/auth/roles";
import { base64UrlToText } from "../../src/lib/base64";
import type { Session } from "./api/types";

const KEY = "pca.session";
const listeners = new Set<() => void>();
let signOutReason: string | null = null;

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

let current = read();

const emit = () => {
  for (const listener of listeners) listener();
};

export const getSession = () => current;

export function setSession(session: Session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  current = session;
  signOutReason = null;
  emit();
}

/** Signs out; `reason` is shown once on the sign-in page. */
export function clearSession(reason?: string) {
  sessionStorage.removeItem(KEY);
  current = null;
  signOutReason = reason ?? null;
  emit();
}

/** The message the last sign-out left for the sign-in page, read once. */
export function takeSignOutReason() {
  const reason = signOutReason;
  signOutReason = null;
  return reason;
}

export const isExpired = (session: Session, now = Date.now()) => Date.parse(session.expiresAt) <= now;

export function useSession() {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/**
 * A session from a pasted token: its claims are read (not verified: the API verifies every
 * call) to show who is signed in; null when it is not a JWT with org, role and exp.
 */
export function sessionFromToken(token: string): Session | null {
  const payload = token.trim().split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(base64UrlToText(payload)) as Record<string, unknown>;
    const { org, role, sub, exp } = claims;
    if (typeof org !== "string" || typeof exp !== "number" || !ROLES.includes(role as Role)) return null;
    return { token: token.trim(), org, role: role as Role, sub: typeof sub === "string" ? sub : "", expiresAt: new Date(exp * 1000).toISOString() };
  } catch {
    return null;
  }
}
