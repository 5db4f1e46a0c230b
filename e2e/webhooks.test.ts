// Webhooks in the browser: create one to the local receiver and see its secret once, send a
// test and watch the attempt turn green, disable two at once.
import { describe, expect } from "vitest";
import { api, it, newOrg, received, receiverUrl, signIn } from "./support/harness";

describe("webhooks", () => {
  it("creates a webhook to a local receiver, shows its secret once, sends a test that turns green", async ({ page }) => {
    const org = newOrg("create");
    const path = `/${org}/ok`;
    await signIn(page, org);
    await page.getByRole("link", { name: "New webhook" }).click();
    await page.getByLabel("Endpoint URL").fill(`${receiverUrl}${path}`);
    await page.getByLabel("Description (optional)").fill("front desk");
    await page.getByLabel("All events, including types added later").check();
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 1 name").fill("X-Clinic");
    await page.getByLabel("Header 1 value").fill(org);
    await page.getByRole("button", { name: "Create webhook" }).click();

    const secret = await page.getByTestId("secret").textContent();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await page.getByRole("button", { name: "I have saved it" }).click();
    await page.getByRole("heading", { name: `${receiverUrl}${path}` }).waitFor();
    // Shown once: the webhook page, the list and the API never show it again.
    expect(await page.content()).not.toContain(secret!);
    const [listed] = (await api(org, "GET", "/webhooks")).data;
    expect(listed).not.toHaveProperty("secret");

    await page.getByRole("button", { name: "Send test event" }).click();
    const attempt = page.getByTestId("attempt").first();
    await attempt.waitFor({ timeout: 20_000 });
    expect(await attempt.getAttribute("class")).toBe("ok");
    expect(await attempt.textContent()).toContain("200");
    expect(await attempt.textContent()).toContain("thanks");
    // The health card counts it (GET /webhooks/:id/stats).
    await page.getByLabel("Last 24 hours").getByText("100 %").waitFor({ timeout: 20_000 });
    const [got] = await received(path);
    expect(JSON.parse(got!.body).type).toBe("webhook.test");
    expect(got!.headers["x-clinic"]).toBe(org);

    // A test of another type sends that type's catalog example.
    await page.getByLabel("Event", { exact: true }).selectOption("appointment.created");
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(async () => (await received(path)).length, { timeout: 20_000 }).toBe(2);
    expect(JSON.parse((await received(path))[1]!.body).type).toBe("appointment.created");
  });

  it("edits events by resource group and shows the change", async ({ page }) => {
    const org = newOrg("edit");
    const hook = await api(org, "POST", "/webhooks", { url: `${receiverUrl}/${org}/ok`, events: ["patient.created"] });
    await signIn(page, org);
    await page.goto(`/webhooks/${hook.id}/edit`);
    await page.getByRole("checkbox", { name: "invoice", exact: true }).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("patient.created, invoice.created, invoice.paid, invoice.overdue").waitFor();
    expect((await api(org, "GET", `/webhooks/${hook.id}`)).events.sort()).toEqual([
      "invoice.created",
      "invoice.overdue",
      "invoice.paid",
      "patient.created",
    ]);
  });

  it("disables two webhooks at once and leaves the third alone", async ({ page }) => {
    const org = newOrg("bulk");
    const make = (n: number) => api(org, "POST", "/webhooks", { url: `${receiverUrl}/${org}/${n}`, events: ["*"] });
    const [a, b, c] = [await make(1), await make(2), await make(3)];
    await signIn(page, org);
    await page.getByLabel(`Select ${a.url}`).check();
    await page.getByLabel(`Select ${b.url}`).check();
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByText("2 of 2 webhooks disabled.").waitFor();
    const active = async (id: string) => (await api(org, "GET", `/webhooks/${id}`)).active;
    expect([await active(a.id), await active(b.id), await active(c.id)]).toEqual([false, false, true]);
    expect(await page.getByText("disabled", { exact: true }).count()).toBe(2);
  });

  it("deletes a webhook after confirming", async ({ page }) => {
    const org = newOrg("delete");
    const hook = await api(org, "POST", "/webhooks", { url: `${receiverUrl}/${org}/ok`, events: ["*"] });
    await signIn(page, org);
    await page.goto(`/webhooks/${hook.id}`);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("button", { name: "Delete webhook" }).click();
    await page.getByText("No webhooks yet.").waitFor();
    await expect(api(org, "GET", `/webhooks/${hook.id}`)).rejects.toThrow(/404/);
  });
});
