import { PERSONAS } from "./support/personas";
import { authFile, expect, expectAreaAccess, expectNavigation, expectSignedInAs, test } from "./support/test";

const maya = PERSONAS.manager;
test.use({ persona: "manager" });

test("the manager has no Audit or Systems; those pages are 403", async ({ page }) => {
  await page.goto("/");
  await expectSignedInAs(page, maya);
  await expectNavigation(page, maya);
  await expectAreaAccess(page, maya);
});

test("the directory holds Maya's team only", async ({ page }) => {
  await page.goto("/people");
  await expect(page.getByText("Your reports at every level")).toBeVisible();
  await page.getByRole("searchbox").fill("Daniel Brooks");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("link", { name: "Daniel Brooks", exact: true })).toBeVisible();
  await page.goto("/people?q=Luis+Romero");
  await expect(page.getByText("No one matches these filters")).toBeVisible();
  // Managers may read their team but not export it.
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
  const res = await page.request.get("/api/people/export");
  expect(res.status()).toBe(403);
});

test("a person outside the team is not found (404), not merely forbidden", async ({ page, browser, baseURL }) => {
  // Find Luis Romero's page as the analyst, then open it as Maya.
  const analyst = await browser.newContext({ storageState: authFile("analyst"), baseURL });
  const lookup = await analyst.newPage();
  await lookup.goto("/people?q=Luis+Romero");
  const href = await lookup.getByRole("link", { name: "Luis Romero", exact: true }).getAttribute("href");
  await analyst.close();
  expect(href).toMatch(/^\/people\/\d+$/);
  const response = await page.goto(href!);
  expect(response?.status()).toBe(404);
});
