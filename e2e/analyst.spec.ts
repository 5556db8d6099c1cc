import { readFileSync } from "node:fs";
import { PERSONAS } from "./support/personas";
import { expect, expectAreaAccess, expectNavigation, expectSignedInAs, test } from "./support/test";

const avery = PERSONAS.analyst;
test.use({ persona: "analyst" });

test("the analyst reaches every area", async ({ page }) => {
  await page.goto("/");
  await expectSignedInAs(page, avery);
  await expectNavigation(page, avery);
  await expectAreaAccess(page, avery);
});

test.describe("people directory", () => {
  test("search finds a person; their page opens", async ({ page }) => {
    await page.goto("/people");
    await expect(page.getByRole("heading", { name: "People", level: 1 })).toBeVisible();
    await page.getByRole("searchbox").fill("maya patel");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/[?&]q=maya\+patel/);
    const link = page.getByRole("link", { name: "Maya Patel", exact: true });
    await expect(link).toBeVisible();
    await link.click();
    await expect(page).toHaveURL(/\/people\/\d+$/);
    await expect(page.getByRole("heading", { name: "Maya Patel", level: 1 })).toBeVisible();
    await expect(page.getByText("Engineering Manager, Payments Platform · maya.patel@tidewater.example")).toBeVisible();
  });

  test("keyset pages: Next shows the following names, Previous comes back", async ({ page }) => {
    await page.goto("/people?limit=20");
    const names = page.getByRole("table").getByRole("row").locator("td:first-child a");
    await expect(names).toHaveCount(20);
    const first = await names.allTextContents();
    const pager = page.getByRole("navigation", { name: "Pagination" });
    // On the first page "Previous" is a disabled anchor (no href, so no link role).
    await expect(pager.getByText("Previous")).toHaveAttribute("aria-disabled", "true");
    await pager.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/[?&]after=/);
    await expect(names).toHaveCount(20);
    const second = await names.allTextContents();
    expect(second.filter((n) => first.includes(n))).toEqual([]);
    const collator = new Intl.Collator("en", { sensitivity: "base" });
    expect(collator.compare(first.at(-1)!, second[0])).toBeLessThanOrEqual(0);
    await pager.getByRole("link", { name: "Previous" }).click();
    await expect(page).toHaveURL(/[?&]before=/);
    expect(await names.allTextContents()).toEqual(first);
  });

  test("Export CSV downloads the filtered list with the right header row", async ({ page }) => {
    await page.goto("/people?kind=human&q=patel");
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^people-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await file.path())!, "utf8")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("id,name,email,employee_number,kind,status,department,title,owner,effective_strength");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((l) => l.includes("Maya Patel"))).toBe(true);
    for (const line of lines.slice(1)) expect(line.toLowerCase()).toContain("patel");
  });
});
