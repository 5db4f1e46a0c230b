import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/events/catalog";
import { call } from "../support";

describe("OpenAPI document: named schemas", () => {
  it("every response schema of every operation is a named component, and each event type's data schema is one", async () => {
    const doc = (await call("GET", "/api/v1/openapi.json")).json;
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThanOrEqual(20);
    // Every operation, not a list that a new route could be missing from.
    for (const path of paths) {
      for (const operation of Object.values(doc.paths[path]) as {
        responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
      }[]) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const schema = response.content?.["application/json"]?.schema;
          if (schema) expect(schema.$ref, `${path} ${status}`).toMatch(/^#\/components\/schemas\//);
        }
      }
    }
    const components = doc.components.schemas;
    expect(components.PatientCreatedEventData.properties.patientId).toBeDefined();
    expect(components.MedicalRecordUpdatedEventData).toBeDefined();
    expect(components.WebhookTestEventData.properties.webhookId).toBeDefined();
    expect(Object.keys(components).filter((name) => name.endsWith("EventData"))).toHaveLength(EVENT_TYPES.length);
    expect(components.Webhook.properties.secret).toBeUndefined();
    expect(JSON.stringify(components.WebhookWithSecret)).toContain('"secret"');
  });
});
