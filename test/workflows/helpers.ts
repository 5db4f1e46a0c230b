// Shared by the workflow tests: start a workflow, read its stored rows directly from D1.
import { env } from "cloudflare:test";
import { and, asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { createDb } from "../../src/db/client";
import { events, webhookEventTypes, webhooks, workflowHistory, workflows, workflowStats } from "../../src/db/schema";
import type { client } from "../helpers";

export const db = createDb(env.DB);

export type Client = Awaited<ReturnType<typeof client>>;

export async function startWorkflow(as: Client, overrides: Record<string, unknown> = {}) {
  const res = await as.post("/api/v1/workflows", {
    documentId: "doc-1",
    workflowType: "approval",
    steps: ["review", "approve", "sign"],
    ...overrides,
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; [key: string]: any };
}

export const storedRow = (id: string) => db.select().from(workflows).where(eq(workflows.id, id)).get();

export const storedHistory = (id: string) =>
  db.select().from(workflowHistory).where(eq(workflowHistory.workflowId, id)).orderBy(asc(workflowHistory.version));

export async function storedStats(org: string) {
  const rows = await db.select().from(workflowStats).where(eq(workflowStats.org, org));
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}

export const storedEvents = (org: string, type?: string) =>
  db
    .select()
    .from(events)
    .where(type ? and(eq(events.org, org), eq(events.type, type)) : eq(events.org, org))
    .orderBy(asc(events.createdAt));

/** Everything a change could touch, to assert that a refused change touched nothing. */
export async function snapshot(org: string, id: string) {
  return { row: await storedRow(id), history: await storedHistory(id), stats: await storedStats(org), events: await storedEvents(org) };
}

/** A webhook subscribed to `types`, inserted straight into D1 (the webhooks API is another issue's). */
export async function insertWebhook(org: string, types: string[]) {
  const id = `wh_${crypto.randomUUID().replaceAll("-", "")}`;
  const now = new Date();
  await db.batch([
    db.insert(webhooks).values({ id, org, url: "https://receiver.example/hook", headers: {}, secretEnc: "x", createdAt: now, updatedAt: now }),
    db.insert(webhookEventTypes).values(types.map((eventType) => ({ webhookId: id, org, eventType }))),
  ]);
  return id;
}
