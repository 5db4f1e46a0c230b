// The payload builder and the delivery history: publish an event from the form and watch its
// delivery succeed; a failing endpoint's attempts appear in the timeline and "Retry now" works.
import { describe, expect } from "vitest";
import { api, it, navigate, newOrg, received, receiverUrl, signIn } from "./support/harness";

describe("events and deliveries", () => {
  it("publishes an event from the payload builder and shows its delivery succeed", async ({ page }) => {
    const org = newOrg("publish");
    const path = `/${org}/ok`;
    await api(org, "POST", "/webhooks", { url: `${receiverUrl}${path}`, events: ["appointment.created"] });
    await signIn(page, org);
    await navigate(page, "Events");
    await page.getByRole("link", { name: "Publish an event" }).click();
    await page.getByLabel("Event type").selectOption("appointment.created");
    // Pre-filled with the catalog's example when it has one, `{}` otherwise.
    expect(await page.getByLabel("Data (JSON)").inputValue()).toMatch(/^\{/);
    await page.getByLabel("Data (JSON)").fill(JSON.stringify({ appointmentId: "apt_e2e", patientId: "pat_1" }));
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("heading", { name: /Published evt_/ }).waitFor();
    await page.getByText("succeeded", { exact: true }).waitFor({ timeout: 20_000 });
    const [got] = await received(path);
    expect(JSON.parse(got!.body)).toMatchObject({ type: "appointment.created", data: { appointmentId: "apt_e2e" } });

    // The event list, filtered by type, and the event's own page list it.
    await navigate(page, "Events");
    await page.getByLabel("Type").selectOption("appointment.created");
    await page.getByRole("link", { name: /^evt_/ }).click();
    await page.getByText("apt_e2e").waitFor();
  });

  it("refuses data that is not a JSON object in words", async ({ page }) => {
    await signIn(page, newOrg("badjson"));
    await page.goto("/events/new");
    await page.getByLabel("Event type").selectOption("patient.created");
    await page.getByLabel("Data (JSON)").fill("{ not json");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("The data is not valid JSON").waitFor();
  });

  it("shows a failing delivery's attempts and filters by status; a pending one cannot be retried yet", async ({ page }) => {
    const org = newOrg("retry");
    const hook = await api(org, "POST", "/webhooks", { url: `${receiverUrl}/${org}/fail`, events: ["*"] });
    const { deliveryId } = await api(org, "POST", `/webhooks/${hook.id}/test`);
    await signIn(page, org);
    await navigate(page, "Deliveries");
    await page.getByRole("link", { name: deliveryId }).waitFor();
    await page.getByLabel("Status", { exact: true }).selectOption("succeeded");
    await page.getByText("No succeeded deliveries.").waitFor();
    await page.getByLabel("Status", { exact: true }).selectOption("");
    await page.getByRole("link", { name: deliveryId }).click();
    const first = page.getByTestId("attempt").first();
    await first.waitFor({ timeout: 20_000 });
    expect(await first.getAttribute("class")).toBe("fail");
    expect(await first.textContent()).toContain("500");
    expect(await first.textContent()).toContain("receiver is down");

    // Still pending (the next attempt is scheduled), so "Retry now" waits.
    expect(await page.getByRole("button", { name: "Retry now" }).isDisabled()).toBe(true);
  });

  it("retries a finished delivery now and shows the new attempt", async ({ page }) => {
    const org = newOrg("again");
    const path = `/${org}/ok`;
    const hook = await api(org, "POST", "/webhooks", { url: `${receiverUrl}${path}`, events: ["*"] });
    const { deliveryId } = await api(org, "POST", `/webhooks/${hook.id}/test`);
    await signIn(page, org);
    await page.goto(`/deliveries/${deliveryId}`);
    await page.getByTestId("attempt").first().waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Retry now" }).click();
    await page.getByText("Attempt 2").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("attempt").count()).toBe(2);
    expect(await received(path)).toHaveLength(2);
  });
});
