// Workflows in the browser: create one with an edited step list, advance it to completion,
// and see a 409 (someone else moved it on) in words with a reload.
import { describe, expect } from "vitest";
import { api, it, navigate, newOrg, signIn } from "./support/harness";

describe("workflows", () => {
  it("creates a workflow and advances it to completion, with its history", async ({ page }) => {
    const org = newOrg("wf");
    await signIn(page, org, "staff");
    await navigate(page, "Workflows");
    await page.getByRole("link", { name: "New workflow" }).click();
    await page.getByLabel("Document id").fill("doc_e2e");
    await page.getByLabel("Workflow type").fill("consent_form");
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 3", { exact: true }).fill("Archive");
    await page.getByLabel("Step 1", { exact: true }).fill("Draft");
    await page.getByRole("button", { name: "Move step 3 up" }).click();
    await page.getByRole("button", { name: "Create workflow" }).click();

    await page.getByText("Step 1 of 3: Draft").first().waitFor();
    await page.getByLabel("Comment (optional)").fill("looks right");
    await page.getByRole("button", { name: "Advance to “Archive”" }).click();
    await page.getByText("Step 2 of 3: Archive").first().waitFor();
    await page.getByRole("button", { name: "Advance to “Approve”" }).click();
    await page.getByRole("button", { name: "Complete" }).click();
    await page.getByText("All 3 steps done").first().waitFor();
    expect(await page.getByText("completed", { exact: true }).count()).toBeGreaterThan(0);
    // The history refetches after the last advance: wait for its fourth entry.
    await expect.poll(() => page.getByTestId("history").count()).toBe(4);
    await page.getByText("looks right").waitFor();

    const [w] = (await api(org, "GET", "/workflows?documentId=doc_e2e")).data;
    expect(w).toMatchObject({ steps: ["Draft", "Archive", "Approve"], status: "completed", currentStep: 3 });

    // The list: stats, the status filter and the document search find it.
    await navigate(page, "Workflows");
    await page.getByLabel("Workflows by status").getByText("1 completed").waitFor();
    await page.getByLabel("Document id").fill("doc_e2e");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "consent_form · doc_e2e" }).waitFor();
    await page.getByLabel("Status", { exact: true }).selectOption("in_progress");
    await page.getByText("No workflow matches.").waitFor();
  });

  it("shows a 409 in words when someone moved the workflow on, and reloads", async ({ page }) => {
    const org = newOrg("conflict");
    const w = await api(org, "POST", "/workflows", { documentId: "doc_409", workflowType: "review", steps: ["Check", "Sign", "File"] });
    await signIn(page, org, "staff");
    await page.goto(`/workflows/${w.id}`);
    await page.getByText("Step 1 of 3: Check").first().waitFor();
    await api(org, "POST", `/workflows/${w.id}/advance`, { comment: "from elsewhere" }, "staff");

    await page.getByRole("button", { name: "Advance to “Sign”" }).click();
    const alert = page.getByRole("alert");
    await alert.getByText("Someone moved this workflow on").waitFor();
    expect(await alert.textContent()).not.toContain("{");
    await alert.getByRole("button", { name: "Reload" }).click();
    await page.getByText("Step 2 of 3: Sign").first().waitFor();
    expect((await api(org, "GET", `/workflows/${w.id}`)).currentStep).toBe(2);
  });

  it("a template instance offers no advance: it moves on through its tasks", async ({ page }) => {
    const org = newOrg("template");
    const definition = {
      start: "review",
      steps: {
        review: { type: "task", title: "Review", assignee: { role: "staff" }, next: { approve: "done", reject: "done" } },
        done: { type: "succeed" },
      },
    };
    await api(org, "POST", "/workflow-templates", { key: "review", name: "Review", definition });
    const w = await api(org, "POST", "/workflows", { documentId: "doc_t", template: "review" }, "staff");
    await signIn(page, org, "staff");
    await page.goto(`/workflows/${w.id}`);
    await page.getByText("follows the template “review” (version 1)").waitFor();
    expect(await page.getByRole("button", { name: /^Advance|^Complete/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Cancel workflow" }).isVisible()).toBe(true);
  });

  it("fails a workflow with a reason", async ({ page }) => {
    const org = newOrg("fail");
    const w = await api(org, "POST", "/workflows", { documentId: "doc_fail", workflowType: "review", steps: ["Check"] });
    await signIn(page, org, "staff");
    await page.goto(`/workflows/${w.id}`);
    expect(await page.getByRole("button", { name: "Fail workflow" }).isDisabled()).toBe(true);
    await page.getByLabel("Reason (needed to fail it)").fill("wrong patient");
    await page.getByRole("button", { name: "Fail workflow" }).click();
    await page.getByText("failed", { exact: true }).first().waitFor();
    await page.getByText("wrong patient").waitFor();
  });
});
