import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/events/catalog";
import { call } from "../support";

describe("OpenAPI document for webhooks, deliveries and events", () => {
  it("documents every route with named response schemas and each event type's data schema", async () => {
    const doc = (await call("GET", "/api/v1/openapi.json")).json;
    const paths = Object.keys(doc.paths);
    for (const path of [
      "/api/v1/webhooks",
      "/api/v1/webhooks/{id}",
      "/api/v1/webhooks/event-types",
      "/api/v1/webhooks/{id}/regenerate-secret",
      "/api/v1/webhooks/{id}/test",
      "/api/v1/webhooks/{id}/deliveries",
      "/api/v1/deliveries/{id}",
      "/api/v1/deliveries/{id}/retry",
      "/api/v1/events",
      "/api/v1/events/{id}",
    ]) {
      expect(paths).toContain(path);
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
