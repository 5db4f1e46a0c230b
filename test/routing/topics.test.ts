import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/events/catalog";
import { isTopic, RESOURCE_WILDCARDS, subscriptionKeysFor, topicMatches } from "../../src/events/topics";

describe("wildcard topics", () => {
  it.each([
    ["appointment.*", "appointment.created", true],
    ["appointment.*", "appointment.cancelled", true],
    ["appointment.*", "invoice.paid", false],
    ["medical_record.*", "medical_record.updated", true],
    ["*", "invoice.paid", true],
    ["*", "webhook.disabled", true],
    ["webhook.*", "webhook.disabled", true],
    ["invoice.paid", "invoice.paid", true],
    ["invoice.paid", "invoice.created", false],
  ])("%s receives %s: %s", (item, type, expected) => {
    expect(topicMatches(item, type)).toBe(expected);
  });

  it.each([
    ["*", true],
    ["invoice.paid", true],
    ["appointment.*", true],
    ["workflow.*", true],
    ["unicorn.*", false],
    ["appointment.cre*", false],
    ["*.created", false],
    ["appointment", false],
    ["appointment.**", false],
  ])("%s is a valid events item: %s", (item, expected) => {
    expect(isTopic(item)).toBe(expected);
  });

  it("has a wildcard for every resource of the catalog and keys for each type", () => {
    for (const type of EVENT_TYPES) {
      const keys = subscriptionKeysFor(type);
      expect(keys).toHaveLength(3);
      expect(RESOURCE_WILDCARDS).toContain(keys[1]);
    }
  });
});
