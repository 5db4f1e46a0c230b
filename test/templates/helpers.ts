// Shared by the template and task tests: save a template, start an instance, read tasks.
import { expect } from "vitest";
import { type Client, client } from "../support";
import type { Role } from "../../src/auth/roles";

export type { Client } from "../support";

export async function saveTemplate(admin: Client, key: string, definition: unknown, extra: Record<string, unknown> = {}) {
  const res = await admin.post("/api/v1/workflow-templates", { key, name: `Template ${key}`, definition, ...extra });
  expect([200, 201], res.text).toContain(res.status);
  return res.json as { key: string; version: number; [k: string]: any };
}

export async function startInstance(as: Client, template: string, input: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const res = await as.post("/api/v1/workflows", { documentId: "rx-1", template, input, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; status: string; openTasks: string[]; activeSteps: string[]; [k: string]: any };
}

export async function complete(as: Client, taskId: string, outcome: string, comment?: string) {
  return as.post(`/api/v1/tasks/${taskId}/complete`, comment ? { outcome, comment } : { outcome });
}

export async function workflow(as: Client, id: string) {
  const res = await as.get(`/api/v1/workflows/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; status: string; openTasks: string[]; activeSteps: string[]; data: any; [k: string]: any };
}

/** A client whose token carries its own `sub`, for N-of-M answers by distinct people. */
export const person = (org: string, role: Role, sub: string) => client(org, role, { sub });
