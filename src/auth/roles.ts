// Roles and what each may do. viewer < staff < admin form a ladder; service is a separate
// machine role (publish events, create and advance workflows, read).
export const ROLES = ["viewer", "staff", "admin", "service"] as const;
export type Role = (typeof ROLES)[number];

/** The roles a person signs into the dashboard with: `service` is a machine role, never one. */
export const DASHBOARD_ROLES = ["viewer", "staff", "admin"] as const satisfies readonly Role[];
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];

export type Permission =
  | "read"
  | "workflow:create"
  | "workflow:advance"
  | "workflow:change" // update, cancel, fail
  | "event:publish"
  | "webhook:manage"
  | "template:manage"
  | "portal:grant"; // issue one-time dashboard links

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  staff: ["read", "workflow:create", "workflow:advance", "workflow:change"],
  admin: ["read", "workflow:create", "workflow:advance", "workflow:change", "event:publish", "webhook:manage", "template:manage", "portal:grant"],
  service: ["read", "workflow:create", "workflow:advance", "event:publish", "portal:grant"],
};

export const can = (role: Role, permission: Permission) => GRANTS[role].includes(permission);
