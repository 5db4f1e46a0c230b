// What every browser test needs: a Chromium page, an org of its own signed in through a portal
// link, direct API calls (to set up or to act "behind the page"), and the axe check.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { test as base, expect, inject } from "vitest";
import { readDevVars } from "../../scripts/dev-vars.mjs";
import { signedToken } from "../../scripts/token-claims.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium";

export const baseUrl = inject("baseUrl");
export const receiverUrl = inject("receiverUrl");

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

export const launch = () => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });

export async function newPage(browser: Browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  // Generous: in `npm test` the browser tests share the machine with the Worker tests' workerd
  // isolates, and one wait of 15 s ran out once on 2 busy cores (the same step takes 2 s alone).
  page.setDefaultTimeout(30_000);
  return page;
}

/** `it` with a Chromium per file and a fresh page (own cookies and storage) per test. */
export const it = base.extend<{ page: Page; browser: Browser }>({
  browser: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring
    async ({}, use) => {
      const browser = await launch();
      await use(browser);
      await browser.close();
    },
    { scope: "file" },
  ],
  page: async ({ browser }, use) => {
    const page = await newPage(browser);
    await use(page);
    await page.context().close();
  },
});

const devVars = readDevVars();

/** A token for `org` made as `npm run token` makes it (its claims, .dev.vars' issuer, audience and secret). */
export async function token(org: string, role: string) {
  return signedToken({ org, role, sub: `e2e-${role}` }, devVars);
}

export const newOrg = (label: string) => `e2e-${label}-${crypto.randomUUID().slice(0, 8)}`;

/** One API call as `org`'s admin (or the given role); throws unless 2xx. */
export async function api<T = any>(org: string, method: string, path: string, body?: unknown, role = "admin"): Promise<T> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${await token(org, role)}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A one-time portal link for `org`, as the Purple Cross app would ask for it. */
export const portalLink = async (org: string, role = "admin") =>
  (await api<{ url: string }>(org, "POST", "/portal-access", { role, sub: `dr-${role}` }, "service")).url;

/** Opens a fresh portal link for `org` and waits for the signed-in dashboard. */
export async function signIn(page: Page, org: string, role = "admin") {
  await page.goto(await portalLink(org, role));
  await page.getByLabel("Signed in").getByText(org).waitFor();
}

/** axe on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** What the local receiver got on `path`. */
export const received = async (path: string) =>
  (await (await fetch(`${receiverUrl}/received?path=${encodeURIComponent(path)}`)).json()) as { body: string; headers: Record<string, string> }[];

/** Follows a link of the main navigation. */
export const navigate = (page: Page, name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
