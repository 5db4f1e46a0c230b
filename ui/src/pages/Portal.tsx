// /portal#code=…: a one-time link from POST /api/v1/portal-access. The code is read from the
// fragment, wiped from the address bar at once, and exchanged (once) for a session token.
import { useEffect, useRef } from "react";
import { useNavigate } from "react-router";
import { api } from "../api/client";
import type { Session } from "../api/types";
import { Loading } from "../components/States";
import { clearSession, setSession } from "../session";

export function Portal() {
  const navigate = useNavigate();
  const started = useRef(false);

  useEffect(() => {
    // Strict mode runs effects twice in development; a code may be spent only once.
    if (started.current) return;
    started.current = true;
    const code = new URLSearchParams(window.location.hash.slice(1)).get("code");
    window.history.replaceState(null, "", "/portal");
    const refuse = (message: string) => navigate("/sign-in", { replace: true, state: { message } });
    if (!code) {
      refuse("This sign-in link is incomplete. Open the dashboard again from the Purple Cross app.");
      return;
    }
    clearSession();
    api<Session>("/portal-access/exchange", { method: "POST", body: { code } })
      .then((session) => {
        setSession(session);
        navigate("/webhooks", { replace: true });
      })
      .catch(() => refuse("This sign-in link was already used or has expired. Open the dashboard again from the Purple Cross app."));
  }, [navigate]);

  return (
    <main id="main" className="sign-in">
      <Loading what="Signing you in" />
    </main>
  );
}
