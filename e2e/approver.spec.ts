import { PERSONAS } from "./support/personas";
import { expect, expectAreaAccess, expectNavigation, expectSignedInAs, statusOf, test } from "./support/test";

const sam = PERSONAS.approver;
test.use({ persona: "approver" });

test("the approver sees the dashboard and break-glass only; everything else is 403", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expectSignedInAs(page, sam);
  await expectNavigation(page, sam);
  await expectAreaAccess(page, sam);
});

test("the approver cannot open a person's page", async ({ page }) => {
  expect(await statusOf(page, "/people/1")).toBe(403);
});
