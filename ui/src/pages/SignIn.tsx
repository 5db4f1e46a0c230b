// Sign-in: a pasted token, or (under ENVIRONMENT=development only) "Sign in as local admin".
// Portal links arrive at /portal instead (Portal.tsx) and come here only with a message.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Navigate, useLocation } from "react-router";
import { api } from "../api/client";
import type { Session } from "../api/types";
import { ErrorNote } from "../components/States";
import { isExpired, sessionFromToken, setSession, takeSignOutReason, useSession } from "../session";

export function SignIn() {
  const session = useSession();
  const location = useLocation();
  const state = location.state as { from?: string; message?: string } | null;
  const [message] = useState(() => state?.message ?? takeSignOutReason());
  const [token, setToken] = useState("");
  const [tokenError, setTokenError] = useState<string | null>(null);
  const [devError, setDevError] = useState<unknown>(null);
  // 404 outside development: then the button is simply not there.
  const devSignIn = useQuery({
    queryKey: ["dev-sign-in"],
    queryFn: () => api<{ available: true }>("/dev/sign-in").then(() => true),
    retry: false,
  });

  if (session && !isExpired(session)) return <Navigate to={state?.from ?? "/webhooks"} replace />;

  // The session re-renders this page, and the <Navigate> above takes it where it was going.
  const enter = (next: Session) => setSession(next);

  const submitToken = (e: FormEvent) => {
    e.preventDefault();
    const parsed = sessionFromToken(token);
    if (!parsed) return setTokenError("That is not a Purple Cross token: it should be a JWT with org, role and exp claims.");
    if (isExpired(parsed)) return setTokenError("That token has expired. Ask for a new one.");
    enter(parsed);
  };

  return (
    <main id="main" className="sign-in">
      <h1>Purple Cross Automation</h1>
      <p className="lead">Webhooks, deliveries, events and workflows of your clinic.</p>
      {message && (
        <p className="notice" role="alert">
          {message}
        </p>
      )}
      {devSignIn.data && (
        <section className="card">
          <h2>Local development</h2>
          <button
            type="button"
            className="primary"
            onClick={() => api<Session>("/dev/sign-in", { method: "POST", body: {} }).then(enter).catch(setDevError)}
          >
            Sign in as local admin
          </button>
          {devError !== null && <ErrorNote error={devError} />}
        </section>
      )}
      <section className="card">
        <h2>Sign in with a token</h2>
        <p>Opened the dashboard from the Purple Cross app? You are signed in already. Otherwise paste an API token.</p>
        <form onSubmit={submitToken}>
          <label htmlFor="token">Token</label>
          <textarea id="token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} required />
          {tokenError && (
            <p className="field-error" role="alert">
              {tokenError}
            </p>
          )}
          <button type="submit" className="primary">
            Sign in
          </button>
        </form>
      </section>
    </main>
  );
}
