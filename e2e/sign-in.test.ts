// Signing in: a portal link (once only), the development button, a pasted token, and the way
// back to sign-in when the API refuses the token. Controls a role may not use are not shown.
import { describe, expect } from "vitest";
import { it, navigate, newOrg, newPage, portalLink, signIn, token } from "./support/harness";

describe("sign-in", () => {
  it("a portal link signs in once, shows org, role and expiry, and keeps the token out of the URL", async ({ page, browser }) => {
    const org = newOrg("portal");
    const link = await portalLink(org, "staff");
    await page.goto(link);
    const who = page.getByLabel("Signed in");
    await expect.poll(() => who.textContent()).toContain(org);
    expect(await who.textContent()).toContain("staff");
    expect(await who.textContent()).toMatch(/Session ends/);
    expect(page.url()).not.toContain("code=");
    const stored = await page.evaluate(() => sessionStorage.getItem("pca.session"));
    expect(JSON.parse(stored!).org).toBe(org);

    // The same link a second time (another tab or person): refused, with a message.
    const second = await newPage(browser);
    await second.goto(link);
    await second.getByText("This sign-in link was already used or has expired").waitFor();
    expect(new URL(second.url()).pathname).toBe("/sign-in");
  });

  it("development sign-in: the button signs in as the local admin", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "Sign in as local admin" }).click();
    await expect.poll(() => page.getByLabel("Signed in").textContent()).toContain("clinic-1");
    expect(await page.getByLabel("Signed in").textContent()).toContain("admin");
  });

  it("a pasted token signs in; a refused token returns to sign-in with a message", async ({ page }) => {
    const org = newOrg("paste");
    await page.goto("/sign-in");
    await page.getByLabel("Token").fill(await token(org, "viewer"));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    expect(await page.getByLabel("Signed in").textContent()).toContain(org);

    // A token with the right shape but a wrong signature: the API answers 401.
    const forged = `${(await token(org, "admin")).slice(0, -4)}AAAA`;
    await page.evaluate((t) => {
      const s = JSON.parse(sessionStorage.getItem("pca.session")!);
      sessionStorage.setItem("pca.session", JSON.stringify({ ...s, token: t }));
    }, forged);
    await page.reload();
    await page.getByText("Your session has expired or is no longer valid").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  it("a viewer sees no controls it may not use", async ({ page }) => {
    await signIn(page, newOrg("viewer"), "viewer");
    await page.getByText("No webhooks yet.").waitFor();
    expect(await page.getByRole("link", { name: "New webhook" }).count()).toBe(0);
    await navigate(page, "Workflows");
    await page.getByText("No workflows yet.").waitFor();
    expect(await page.getByRole("link", { name: "New workflow" }).count()).toBe(0);
    await navigate(page, "Events");
    await page.getByText("No events yet.").waitFor();
    expect(await page.getByRole("link", { name: "Publish an event" }).count()).toBe(0);
  });
});
