import path from "node:path";
import { SHOTS } from "./support/screenshots";
import { expect, test } from "./support/test";

/**
 * Break-glass screens on the seeded story: the approvals queue an approver works by keyboard, a request's page
 * (state, decisions, who may approve and who may not), the analyst's list and request form. Approving needs a passkey
 * step-up (its own journey); nothing here decides anything.
 */
test.describe("as an approver", () => {
  test.use({ persona: "approver" });

  test("the queue shows what is asked, the time left and why a row is not theirs; keys move and open", async ({
    page,
  }) => {
    await page.goto("/break-glass/queue");
    await expect(page.getByRole("heading", { name: "Approvals queue" })).toBeVisible();
    const felix = page.getByTestId("queue-row").filter({ hasText: "Felix Wagner" });
    await expect(felix).toContainText("Account recovery");
    await expect(felix).toContainText("Device-bound passkey");
    await expect(felix).toContainText("1 of 2");
    // Sam approved it in the seed: the row says why it is not actionable instead of offering buttons.
    await expect(felix.getByTestId("blocked")).toContainText("you have decided");
    await expect(felix.getByRole("button", { name: /Approve/ })).toHaveCount(0);
    await expect(felix.getByTestId("countdown")).toContainText("to decide");
    await page.screenshot({ path: path.join(SHOTS, "break-glass-queue.png"), fullPage: true });

    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);

    await felix.click();
    await expect(felix).toHaveAttribute("aria-current", "true");
    await page.keyboard.press("a");
    await expect(page.getByRole("alert").filter({ hasText: "You cannot decide" })).toContainText("you have decided");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/break-glass\/\d+$/);
    await expect(page.getByRole("heading", { name: "Account recovery for Felix Wagner" })).toBeVisible();
  });

  test("a request page shows its state, the decisions, and who may approve and who may not (with why)", async ({
    page,
  }) => {
    await page.goto("/break-glass?status=pending&kind=account_recovery");
    await page.getByRole("link", { name: "Felix Wagner" }).first().click();
    await expect(page.getByRole("heading", { name: "Account recovery for Felix Wagner" })).toBeVisible();
    const steps = page.getByRole("list", { name: "Where this request is" });
    await expect(steps.locator('[aria-current="step"]')).toContainText("Approvals");
    await expect(steps).toContainText("1 of 2");
    await expect(page.getByTestId("approval")).toContainText("Sam Rivera");
    await expect(page.getByRole("list", { name: "Eligible approvers" })).toContainText("Noor Haddad");
    await expect(page.getByRole("list", { name: "Excluded approvers" })).toContainText(
      "Grace Kim — is in the subject's manager chain",
    );
    await expect(page.getByRole("list", { name: "Timeline" })).toContainText("Break-glass approved");
    // Sam has decided: no second decision is offered.
    await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await expect(page.getByText("No pass issued yet")).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, "break-glass-request.png"), fullPage: true });
  });
});

test.describe("as an analyst", () => {
  test.use({ persona: "analyst" });

  test("the list pages and filters the requests, shows the approver pool, and exports what it shows", async ({
    page,
  }) => {
    await page.goto("/break-glass");
    await expect(page.getByTestId("pool-health")).toContainText("Can approve today");
    const table = page.getByRole("table", { name: "Break-glass requests" });
    await expect(table.getByRole("row").filter({ hasText: "Felix Wagner" })).toContainText("Waiting for approval");
    await page.screenshot({ path: path.join(SHOTS, "break-glass.png"), fullPage: true });
    await page.getByLabel("Status").selectOption("denied");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/status=denied/);
    const rows = table.getByRole("row");
    await expect(rows.filter({ hasText: "Denied" }).first()).toBeVisible();
    await expect(rows.filter({ hasText: "Waiting for approval" })).toHaveCount(0);
    const csv = await page.request.get("/api/break-glass/export?status=denied");
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toMatch(/^request_id,kind,drill,status,subject/);
    expect(lines.slice(1).every((l) => l.includes(",denied,"))).toBe(true);
  });

  test("the request form finds a locked-out person and offers no factor weaker than theirs, saying why", async ({
    page,
  }) => {
    await page.goto("/break-glass/new");
    await page.getByLabel("Account recovery").check();
    await page.getByLabel(/Someone else/).check();
    await page.getByLabel("Search people").fill("hiro");
    await page.getByRole("button", { name: /Hiro Tanaka/ }).click();
    await expect(page.getByLabel(/SMS code/)).toBeDisabled();
    await expect(page.getByText("Not offered: below AAL2: recovery never issues less").first()).toBeVisible();
    await expect(page.getByLabel(/Device-bound passkey/)).toBeChecked();
    // The browser's own checks speak beside the fields before anything is sent.
    await page.getByRole("button", { name: "Ask for approval" }).click();
    await expect(page.getByText("Choose a reason.")).toBeVisible();
    await expect(page.getByText("Say what happened (10 characters at least).")).toBeVisible();
  });
});
