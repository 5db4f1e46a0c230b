// The frame of every signed-in page: navigation, who is signed in (org, role, token expiry),
// sign-out. Pages without a valid session are sent to sign-in.
import { useEffect } from "react";
import { Navigate, NavLink, Outlet, useLocation } from "react-router";
import { clearSession, isExpired, useSession } from "../session";
import { Time } from "./Time";

const NAV = [
  ["/webhooks", "Webhooks"],
  ["/deliveries", "Deliveries"],
  ["/events", "Events"],
  ["/workflows", "Workflows"],
] as const;

export function Layout() {
  const session = useSession();
  const location = useLocation();

  // Sign out when the token runs out, rather than at the next refused call.
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    const timer = setTimeout(() => clearSession("Your session has expired. Please sign in again."), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session]);

  if (!session || isExpired(session)) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Purple Cross Automation</span>
        <nav aria-label="Main">
          {NAV.map(([to, label]) => (
            <NavLink key={to} to={to}>
              {label}
            </NavLink>
          ))}
        </nav>
        <section className="who" aria-label="Signed in">
          <span>
            <strong>{session.org}</strong> · {session.role}
            {session.sub ? ` · ${session.sub}` : ""}
          </span>
          <span className="expires">
            Session ends <Time at={session.expiresAt} />
          </span>
          <button type="button" onClick={() => clearSession("You signed out.")}>
            Sign out
          </button>
        </section>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
