import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { PERSONAS } from "./support/personas";
/**
 * Factor strength and the executive dashboard on the demo seed: the analyst reads the heatmap, opens a cell,
 * exports it, runs the SMS-outage what-if; the executive reads the dashboard and the heatmap and gets nothing
 * personal, on the page or from any request. Saves the README's screenshots to e2e/screenshots/.
 */
import { SHOTS } from "./support/screenshots";
import { authFile, expect, statusOf, test } from "./support/test";

mkdirSync(SHOTS, { recursive: true });

/**
 * Other journeys run beside this one and change people (leavers, revocations), so a figure read a moment ago
 * may be off by a person or two by the time its list loads: equal, give or take that drift.
 */
function expectAbout(actual: number, expected: number, what: string) {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(2);
}

/** Charts load after the page (their own chunk): wait until Recharts has drawn the lines. */
async function chartsDrawn(page: Page, container: string, lines: number) {
  await expect(page.locator(`${container} .recharts-line-curve, ${container} .recharts-area-curve`)).toHaveCount(
    lines,
    { timeout: 15_000 },
  );
}

test.describe("analyst", () => {
  test.use({ persona: "analyst" });

  test("department heatmap: tree, switches, trend; a cell opens its people with the weakest path; CSV export", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/factors");
    await expect(page.getByRole("heading", { name: "Factor strength" })).toBeVisible();
    const row = (name: string) =>
      page.getByTestId("heat-row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
    // Top-level rows start open: divisions and their departments show; collapsing hides the children.
    await expect(row("Sales")).toBeVisible();
    await page.getByRole("button", { name: "Revenue" }).click();
    await expect(row("Sales")).toHaveCount(0);
    await page.getByRole("button", { name: "Revenue" }).click();
    await expect(row("Sales")).toBeVisible();
    await expect(page.getByTestId("gap-note")).toContainText(/Fallback-path gap: \d+ people/);
    await chartsDrawn(page, "[data-testid=trend-chart]", 2);
    await page.screenshot({ path: path.join(SHOTS, "factors.png"), fullPage: true });

    // Primary-only and privileged switches change the view (URL state).
    await page.getByRole("link", { name: "Primary only", exact: true }).click();
    await expect(page).toHaveURL(/mode=primary/);
    await expect(page.getByRole("heading", { name: /primary strength/ })).toBeVisible();
    await page.getByRole("link", { name: "Privileged", exact: true }).click();
    await expect(page).toHaveURL(/privileged=1/);
    await expect(page.getByRole("heading", { name: /holding privileged grants/ })).toBeVisible();

    // Sales × strength 2 (effective): the list has exactly the cell's count, SMS as the weakest path.
    await page.goto("/factors");
    const cell = row("Sales").getByRole("link", { name: /Sales, strength 2/ });
    const count = Number((await cell.locator("span").first().textContent())?.replace(/,/g, ""));
    expect(count).toBeGreaterThan(0);
    await cell.click();
    await expect(page).toHaveURL(/\/factors\/people\?.*strength=2/);
    await expect(page.getByText(/Sales and the teams below it · effective strength 2/)).toBeVisible();
    const people = page.getByRole("table", { name: "People in this cell" }).locator("tbody tr");
    await expect(people.first()).toBeVisible();
    expectAbout(await people.count(), Math.min(count, 50), "people listed for the cell");
    await expect(page.locator("[data-limiting]").first()).toContainText("weakest path");

    const href = await page.getByRole("link", { name: /Export CSV/ }).getAttribute("href");
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toContain("weakest_path");
    expectAbout(lines.length - 1, count, "CSV rows for the cell");
    expect(lines[1]).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });

  test("privileged-system view: critical systems first, cells open their holders", async ({ page }) => {
    await page.goto("/factors");
    await page.getByRole("link", { name: "By privileged system" }).click();
    await expect(page).toHaveURL(/view=systems/);
    const rows = page.getByTestId("system-row");
    await expect(rows.first()).toContainText("Critical");
    const link = rows.first().getByRole("link").first();
    await link.click();
    await expect(page.getByText(/privileged accounts on /)).toBeVisible();
  });

  test("SMS-outage what-if: locked out and weaker paths per department, privileged first; drill into the locked out", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/factors?view=what-if");
    const channel = page.getByLabel("Channel down");
    await expect(channel.locator("option")).not.toHaveCount(0);
    await channel.selectOption("sms");
    await page.getByRole("button", { name: "Show impact" }).click();
    await expect(page).toHaveURL(/channel=sms/);
    const locked = page.getByTestId("what-if-locked_out");
    await expect(locked).toContainText("Locked out");
    const lockedCount = Number((await locked.locator("p").nth(1).textContent())?.replace(/,/g, ""));
    expect(lockedCount).toBeGreaterThan(0);
    // Departments where privileged people get locked out come first.
    const firstRow = page.getByTestId("what-if-row").first();
    await expect(firstRow.locator("td").first()).not.toHaveText("0");
    await page.screenshot({ path: path.join(SHOTS, "what-if.png"), fullPage: true });

    await locked.getByRole("link").first().click();
    await expect(page.getByText(/SMS outage: locked out/)).toBeVisible();
    const lockedRows = page.getByRole("table", { name: "People in this cell" }).locator("tbody tr");
    await expect(lockedRows.first()).toBeVisible();
    expectAbout(await lockedRows.count(), Math.min(lockedCount, 50), "locked-out people listed");

    // Another channel from the data.
    await page.goto("/factors?view=what-if&channel=email");
    await expect(page.getByTestId("what-if-affected")).toContainText("Sign in over Email");
  });
});

/** Names and emails of every seeded person, from the analyst's people export (the executive cannot read it). */
async function seededPeople(browser: Browser): Promise<{ name: string; email: string }[]> {
  const context = await browser.newContext({
    storageState: authFile("analyst"),
    baseURL: process.env.LOCKSTEP_E2E_BASE_URL,
  });
  try {
    const res = await context.request.get("/api/people/export?kind=human");
    expect(res.status()).toBe(200);
    const [header, ...rows] = (await res.text())
      .trim()
      .split("\n")
      .map((l) => l.split(","));
    const [name, email] = [header.indexOf("name"), header.indexOf("email")];
    return rows.map((r) => ({ name: r[name].replace(/^"|"$/g, ""), email: r[email] })).filter((p) => p.name && p.email);
  } finally {
    await context.close();
  }
}

test.describe("executive", () => {
  test.use({ persona: "executive" });

  test("the dashboard: every tile with a value, a 30-day trend and a chart; only factor tiles link", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/");
    await expect(page).toHaveURL(/\/dashboard$/);
    const tiles = page.locator("[data-testid^=tile-]");
    await expect(tiles).toHaveCount(11);
    for (const value of await page.getByTestId("kpi-value").allTextContents())
      expect(value).toMatch(/^(\d[\d,.]*(%| h)?|—)$/);
    await expect(page.getByTestId("trend").first()).toContainText(/30 days/);
    await chartsDrawn(page, "[data-testid^=tile-]", 11);
    await page.screenshot({ path: path.join(SHOTS, "dashboard.png"), fullPage: true });
    // Tiles explain themselves on pages the executive may open (factors), and nowhere else.
    await expect(page.getByTestId("tile-pr_coverage")).toHaveAttribute("href", "/factors");
    await expect(page.locator("a[data-testid^=tile-]")).toHaveCount(4);
    await page.getByTestId("tile-pr_coverage_privileged").click();
    await expect(page).toHaveURL(/\/factors\?privileged=1/);
    await expect(page.getByRole("link", { name: /strength 2: open the list/ })).toHaveCount(0);
  });

  test("aggregates only: no seeded person's name or email in any page or response the executive gets", async ({
    page,
    browser,
  }) => {
    const people = (await seededPeople(browser)).filter((p) => p.name !== PERSONAS.executive.name);
    expect(people.length).toBeGreaterThan(200);
    const leaks: string[] = [];
    for (const url of [
      "/dashboard",
      "/factors",
      "/factors?privileged=1&mode=primary",
      "/factors?view=systems",
      "/factors?view=what-if&channel=sms",
    ]) {
      for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
        const res = await page.request.get(url, { headers });
        expect(res.status(), url).toBe(200);
        const body = (await res.text()).toLowerCase();
        for (const p of people)
          if (body.includes(p.name.toLowerCase()) || body.includes(p.email.toLowerCase()))
            leaks.push(`${url} ${JSON.stringify(headers)}: ${p.name}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(await statusOf(page, "/factors/people?strength=2")).toBe(403);
    await expect(page.getByText("403 · Forbidden")).toBeVisible();
    const csv = await page.request.get("/api/factors/people/export?strength=2");
    expect(csv.status()).toBe(403);
    expect(await csv.json()).toMatchObject({ ok: false, code: "forbidden" });
  });
});
