// The `email` action through the send_email binding: the row commits with the step, the object
// sends it once and marks it sent; a replayed send (the sweep) sends nothing again.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { workflowEmails } from "../../src/db/schema";
import { sendEmails } from "../../src/workflows/email";
import { client, uniqueOrg } from "../support";
import { saveTemplate, startInstance } from "./helpers";

const db = createDb(env.DB);

describe("email actions", () => {
  it("sends once per visit, keyed (instance, step, visit), with $ref-resolved fields", async () => {
    const admin = await client(uniqueOrg(), "admin");
    await saveTemplate(admin, "mail", {
      start: "tell",
      steps: {
        tell: { type: "action", email: { to: { $ref: "input.owner" }, subject: "Rex is ready", text: { $ref: "documentId" } }, next: "done" },
        done: { type: "succeed" },
      },
    });
    const wf = await startInstance(admin, "mail", { owner: "owner@example.com" });
    expect(wf.status).toBe("completed");
    const rows = await db.select().from(workflowEmails).where(eq(workflowEmails.workflowId, wf.id));
    expect(rows).toEqual([
      expect.objectContaining({
        key: `${wf.id}:tell#1`,
        to: "owner@example.com",
        subject: "Rex is ready",
        text: "rx-1",
        sentAt: expect.any(Date),
        messageId: expect.any(String),
      }),
    ]);
    expect(await sendEmails(db, env, [`${wf.id}:tell#1`])).toBe(0);
    const history = (await admin.get(`/api/v1/workflows/${wf.id}/history`)).json.data;
    expect(history.find((h: any) => h.action === "action_taken").comment).toBe("emailed owner@example.com");
  });

  it("an address that is not one fails the instance with the reason", async () => {
    const admin = await client(uniqueOrg(), "admin");
    await saveTemplate(admin, "mail", {
      start: "tell",
      steps: { tell: { type: "action", email: { to: { $ref: "input.owner" }, subject: "s", text: "t" }, next: "done" }, done: { type: "succeed" } },
    });
    const wf = await startInstance(admin, "mail", {});
    expect(wf.status).toBe("failed");
    expect(await db.select().from(workflowEmails).where(eq(workflowEmails.workflowId, wf.id))).toEqual([]);
  });
});
