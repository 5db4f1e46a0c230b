// /api/v1/workflow-templates: versions, equal bodies, rejections with paths, archive, tenancy.
import { describe, expect, it } from "vitest";
import { client, uniqueOrg } from "../support";
import { prescription } from "../engine/fixtures";
import { saveTemplate, startInstance } from "./helpers";

describe("workflow templates", () => {
  it("versions: 1 for a new key, +1 per change, 200 for an equal body; GET, ?version and /versions", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const first = await admin.post("/api/v1/workflow-templates", { key: "rx", name: "Prescription", definition: prescription });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ key: "rx", version: 1, archived: false, triggers: [], description: null });

    const same = await admin.post("/api/v1/workflow-templates", { key: "rx", name: "Prescription", definition: prescription });
    expect(same.status).toBe(200);
    expect(same.json.version).toBe(1);

    const changed = await admin.post("/api/v1/workflow-templates", { key: "rx", name: "Prescription v2", definition: prescription });
    expect(changed.status).toBe(201);
    expect(changed.json.version).toBe(2);

    expect((await admin.get("/api/v1/workflow-templates/rx")).json.version).toBe(2);
    expect((await admin.get("/api/v1/workflow-templates/rx?version=1")).json.name).toBe("Prescription");
    expect((await admin.get("/api/v1/workflow-templates/rx?version=9")).status).toBe(404);
    const versions = await admin.get("/api/v1/workflow-templates/rx/versions?limit=1");
    expect(versions.json.data.map((t: any) => t.version)).toEqual([2]);
    const older = await admin.get(`/api/v1/workflow-templates/rx/versions?limit=1&cursor=${versions.json.nextCursor}`);
    expect(older.json).toMatchObject({ data: [{ version: 1 }], nextCursor: null });
    const list = await admin.get("/api/v1/workflow-templates");
    expect(list.json.data.map((t: any) => [t.key, t.version])).toEqual([["rx", 2]]);
  });

  it("a definition with problems is a 400 naming each path; nothing saved", async () => {
    const admin = await client(uniqueOrg(), "admin");
    const res = await admin.post("/api/v1/workflow-templates", {
      key: "bad",
      name: "Bad",
      definition: { start: "a", steps: { a: { type: "choice", choices: [{ path: "input.x", eq: 1, next: "ghost" }] } } },
      triggers: [{ cron: "sometimes", documentId: "x" }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect(res.json.error.details.map((d: any) => d.path).sort()).toEqual([
      "definition.steps.a.choices.0.next",
      "definition.steps.a.default",
      "triggers.0.cron",
    ]);
    expect((await admin.get("/api/v1/workflow-templates/bad")).status).toBe(404);
  });

  it("only admins save or archive; other orgs see nothing", async () => {
    const org = uniqueOrg();
    const staff = await client(org, "staff");
    expect((await staff.post("/api/v1/workflow-templates", { key: "rx", name: "x", definition: prescription })).status).toBe(403);
    const admin = await client(org, "admin");
    await saveTemplate(admin, "rx", prescription);
    expect((await staff.delete("/api/v1/workflow-templates/rx")).status).toBe(403);
    const stranger = await client(uniqueOrg(), "admin");
    expect((await stranger.get("/api/v1/workflow-templates/rx")).status).toBe(404);
    expect((await stranger.delete("/api/v1/workflow-templates/rx")).status).toBe(404);
    expect((await stranger.post("/api/v1/workflows", { documentId: "d", template: "rx" })).status).toBe(404);
  });

  it("archive: 204, no new instances (409), running ones go on", async () => {
    const org = uniqueOrg();
    const admin = await client(org, "admin");
    await saveTemplate(admin, "rx", prescription);
    const running = await startInstance(admin, "rx", { schedule: "IV", patientId: "p" });
    expect((await admin.delete("/api/v1/workflow-templates/rx")).status).toBe(204);
    expect((await admin.get("/api/v1/workflow-templates/rx")).json.archived).toBe(true);
    expect((await admin.post("/api/v1/workflows", { documentId: "d", template: "rx" })).status).toBe(409);
    expect((await admin.post("/api/v1/workflow-templates", { key: "rx", name: "again", definition: prescription })).status).toBe(409);
    const done = await admin.post(`/api/v1/tasks/${running.openTasks[0]}/complete`, { outcome: "approve" });
    expect(done.status, done.text).toBe(200);
    expect((await admin.get(`/api/v1/workflows/${running.id}`)).json.status).toBe("completed");
  });

  it("version pinning: a running instance stays on its version; new ones start on the latest or the named one", async () => {
    const admin = await client(uniqueOrg(), "admin");
    await saveTemplate(admin, "rx", prescription);
    const onV1 = await startInstance(admin, "rx", { schedule: "II", patientId: "p" });
    const v2 = structuredClone(prescription) as any;
    v2.steps.schedule.choices[0].eq = "I"; // v2: only schedule I needs the admins
    expect((await saveTemplate(admin, "rx", v2)).version).toBe(2);
    const onV2 = await startInstance(admin, "rx", { schedule: "II", patientId: "p" });
    expect([onV1.templateVersion, onV2.templateVersion]).toEqual([1, 2]);
    expect((await startInstance(admin, "rx", {}, { templateVersion: 1 })).templateVersion).toBe(1);

    await admin.post(`/api/v1/tasks/${onV1.openTasks[0]}/complete`, { outcome: "approve" });
    await admin.post(`/api/v1/tasks/${onV2.openTasks[0]}/complete`, { outcome: "approve" });
    expect((await admin.get(`/api/v1/workflows/${onV1.id}`)).json.activeSteps).toEqual(["admin_approval"]);
    expect((await admin.get(`/api/v1/workflows/${onV2.id}`)).json.status).toBe("completed");
  });
});
