// The permission table against the contract's role sentences, one cell per role × permission.
import { describe, expect, it } from "vitest";
import { can, type Permission, ROLES, type Role } from "../../src/auth/roles";

// Contract, "Auth and tenancy": viewer reads; staff = viewer + create/update/advance/cancel/fail
// workflows; admin = everything; service = publish events, create and advance workflows, read.
const EXPECTED: Record<Permission, Record<Role, boolean>> = {
  read: { viewer: true, staff: true, admin: true, service: true },
  "workflow:create": { viewer: false, staff: true, admin: true, service: true },
  "workflow:advance": { viewer: false, staff: true, admin: true, service: true },
  "workflow:change": { viewer: false, staff: true, admin: true, service: false },
  "event:publish": { viewer: false, staff: false, admin: true, service: true },
  "webhook:manage": { viewer: false, staff: false, admin: true, service: false },
  // Contract, "Workflow templates": saving and archiving templates is admin only.
  "template:manage": { viewer: false, staff: false, admin: true, service: false },
};

describe("permission table", () => {
  it("knows exactly the contract's four roles", () => {
    expect([...ROLES].sort()).toEqual(["admin", "service", "staff", "viewer"]);
  });

  const cells = (Object.keys(EXPECTED) as Permission[]).flatMap((permission) =>
    ROLES.map((role) => [role, permission, EXPECTED[permission][role]] as const),
  );
  it.each(cells)("%s → %s: %s", (role, permission, allowed) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it("admin may do everything", () => {
    for (const permission of Object.keys(EXPECTED) as Permission[]) expect(can("admin", permission)).toBe(true);
  });
});
