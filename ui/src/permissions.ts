// What the signed-in role may do: the Worker's own permission table, so a button is shown
// exactly when the API would allow its call.
import { can, type Permission } from "../../src/auth/roles";
import { useSession } from "./session";

export function useCan(permission: Permission) {
  const session = useSession();
  return session ? can(session.role, permission) : false;
}
