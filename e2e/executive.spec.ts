import { PERSONAS } from "./support/personas";
import { expect, expectAreaAccess, expectNavigation, expectSignedInAs, statusOf, test } from "./support/test";

const elena = PERSONAS.executive;
test.use({ persona: "executive" });

test("the executive sees the dashboard and factor aggregates only", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expectSignedInAs(page, elena);
  await expectNavigation(page, elena);
  await expectAreaAccess(page, elena);
});

test("People and Audit answer a real 403 with the Forbidden page", async ({ page }) => {
  for (const url of ["/people", "/audit", "/people/1"]) {
    expect(await statusOf(page, url), url).toBe(403);
    await expect(page.getByText("403 · Forbidden")).toBeVisible();
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  }
});

test("personal-record APIs answer 403 JSON", async ({ page }) => {
  for (const url of ["/api/people/export", "/api/audit/export"]) {
    const res = await page.request.get(url);
    expect(res.status(), url).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, code: "forbidden" });
  }
});
