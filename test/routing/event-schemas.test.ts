import { describe, expect, it } from "vitest";
import { EVENT_CATALOG, EVENT_TYPES } from "../../src/events/catalog";
import { EVENT_TYPE_DESCRIPTIONS } from "../../src/events/json-schema";

describe("event schemas", () => {
  it("gives every catalog type a JSON Schema and an example that fits its own schema", () => {
    expect(EVENT_TYPE_DESCRIPTIONS.map((d) => d.type)).toEqual(EVENT_TYPES);
    for (const d of EVENT_TYPE_DESCRIPTIONS) {
      expect(d.schema.type, d.type).toBe("object");
      expect(Object.keys(d.schema.properties as object).length, d.type).toBeGreaterThan(0);
      expect(EVENT_CATALOG[d.type].data.safeParse(d.example).success, d.type).toBe(true);
      for (const field of (d.schema.required as string[]) ?? []) expect(d.example, `${d.type}.${field}`).toHaveProperty(field);
    }
  });

  it("is open: fields the schema does not name pass and are kept", () => {
    const schema = EVENT_TYPE_DESCRIPTIONS.find((d) => d.type === "patient.created")!.schema;
    expect(schema.additionalProperties).not.toBe(false);
    const parsed = EVENT_CATALOG["patient.created"].data.parse({ patientId: "p1", microchip: "981000" });
    expect(parsed).toEqual({ patientId: "p1", microchip: "981000" });
  });

  it("still checks the fields it names", () => {
    expect(EVENT_CATALOG["invoice.paid"].data.safeParse({ invoiceId: "i1", amountCents: "12" }).success).toBe(false);
    expect(EVENT_CATALOG["webhook.disabled"].data.safeParse({ webhookId: "wh_1", url: "https://x", reason: "gone" }).success).toBe(true);
  });
});
