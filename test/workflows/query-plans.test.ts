// Lists are index range scans in index order (no sort step), whatever the filter.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { listWorkflowsQuery, type WorkflowFilter } from "../../src/db/repositories/workflows";
import { db } from "../support";

async function plan(filter: WorkflowFilter) {
  const { sql, params } = listWorkflowsQuery(db, "org-plan", filter).toSQL();
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return rows.results.map((r) => r.detail).join("\n");
}

describe("workflow list query plans", () => {
  it.each<[string, WorkflowFilter, string]>([
    ["no filter", { limit: 20 }, "SEARCH workflows USING INDEX workflows_org_created (org=?)"],
    ["status", { limit: 20, status: "in_progress" }, "SEARCH workflows USING INDEX workflows_org_status_created (org=? AND status=?)"],
    ["documentId", { limit: 20, documentId: "d" }, "SEARCH workflows USING INDEX workflows_org_document_created (org=? AND document_id=?)"],
  ])("%s: an index search, no temp sort", async (_, filter, expected) => {
    const detail = await plan(filter);
    expect(detail).toContain(expected);
    expect(detail).not.toContain("TEMP B-TREE");
  });
});
