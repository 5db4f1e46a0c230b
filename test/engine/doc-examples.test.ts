// The three full templates of docs/WORKFLOW_ENGINE.md (docs/examples/*.json) pass the checker,
// so the documentation cannot drift from what the API accepts.
import { describe, expect, it } from "vitest";
import labReview from "../../docs/examples/lab-result-review.json";
import prescription from "../../docs/examples/prescription.json";
import weeklyAudit from "../../docs/examples/weekly-audit.json";
import { checkDefinition } from "../../src/engine/check";
import { checkTriggers } from "../../src/engine/triggers";

describe("documented example templates", () => {
  it.each([
    ["prescription", prescription],
    ["lab result review", labReview],
    ["weekly audit", weeklyAudit],
  ])("%s is accepted", (_, template) => {
    expect(checkDefinition(template.definition)).toMatchObject({ ok: true });
    expect(checkTriggers((template as { triggers?: unknown }).triggers)).toMatchObject({ ok: true });
  });
});
