// Every page, at desktop and phone width: axe finds no serious or critical violation, nothing
// is wider than a 375 px screen, and the keyboard alone reaches the main controls. With
// UPDATE_SCREENSHOTS=1 (`npm run screenshots`) each page is also saved under docs/screenshots/.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, DESKTOP, expectAccessible, launch, newOrg, newPage, PHONE, receiverUrl, signIn } from "./support/harness";

const SHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? "docs/screenshots" : null;

let browser: Browser;
const org = newOrg("pages");
const ids: Record<string, string> = {};

beforeAll(async () => {
  browser = await launch();
  // One of everything, so no page is only an empty state.
  const hook = await api(org, "POST", "/webhooks", {
    url: `${receiverUrl}/${org}/ok`,
    events: ["appointment.created", "invoice.paid"],
    description: "Front desk",
  });
  await api(org, "POST", "/webhooks", { url: `${receiverUrl}/${org}/fail`, events: ["*"], description: "Lab system" });
  const { deliveryId } = await api(org, "POST", `/webhooks/${hook.id}/test`);
  const event = await api(org, "POST", "/events", { type: "appointment.created", data: { appointmentId: "apt_1", patientId: "pat_1" } });
  const w = await api(org, "POST", "/workflows", {
    documentId: "doc_42",
    workflowType: "consent_form",
    steps: ["Draft", "Review", "Sign"],
    assignedTo: "dr.jones",
  });
  await api(org, "POST", `/workflows/${w.id}/advance`, { comment: "draft done" }, "staff");
  Object.assign(ids, { hook: hook.id, delivery: deliveryId, event: event.id, workflow: w.id });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});
afterAll(() => browser?.close());

const PAGES: [name: string, path: () => string, ready: string][] = [
  ["webhooks", () => "/webhooks", "Front desk"],
  ["webhook-new", () => "/webhooks/new", "All events, including types added later"],
  ["webhook-detail", () => `/webhooks/${ids.hook}`, "Send test event"],
  ["deliveries", () => "/deliveries", "webhook.test"],
  ["delivery-detail", () => `/deliveries/${ids.delivery}`, "Attempt 1"],
  ["events", () => "/events", "Published"],
  ["event-publish", () => "/events/new", "Data (JSON)"],
  ["event-detail", () => `/events/${ids.event}`, "apt_1"],
  ["workflows", () => "/workflows", "Step 2 of 3: Review"],
  ["workflow-new", () => "/workflows/new", "Steps, in order"],
  ["workflow-detail", () => `/workflows/${ids.workflow}`, "draft done"],
];

async function visit(page: Page, path: string, ready: string) {
  await page.goto(path);
  await page.getByText(ready).first().waitFor({ timeout: 20_000 });
}

describe.each([
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const)("every page at %s width", (label, viewport) => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, viewport);
    await page.goto("/sign-in");
    await expectAccessible(page);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/sign-in-${label}.png`, fullPage: true });
    await signIn(page, org);
  });

  it.each(PAGES)("%s", async (name, path, ready) => {
    await visit(page, path(), ready);
    await expectAccessible(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${label}.png`, fullPage: true });
  });
});

describe("keyboard alone", () => {
  it("signs in and moves between pages without a mouse", async () => {
    const page = await newPage(browser);
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Sign in as local admin" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Sign in as local admin");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    // Skip link first, then the navigation.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Webhooks");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Deliveries" }).waitFor();
  });
});
