// The one way the dashboard calls the API: same origin, bearer token from the session, JSON in
// and out, and every non-2xx turned into an ApiProblem carrying the contract's error body.
import { clearSession, getSession } from "../session";

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path?: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiProblem";
  }
}

interface CallOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  headers?: Record<string, string>;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const session = getSession();
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiProblem(0, "network_error", "Could not reach the server. Check your connection and try again.");
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: [] } } | null;
  if (!res.ok) {
    const error = body?.error;
    // A refused token ends the session: back to sign-in, with a word on why.
    if (res.status === 401 && session) clearSession("Your session has expired or is no longer valid. Please sign in again.");
    throw new ApiProblem(res.status, error?.code ?? "error", error?.message ?? `The server answered ${res.status}.`, error?.details);
  }
  return body as T;
}

/** `?a=1&b=2` from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
