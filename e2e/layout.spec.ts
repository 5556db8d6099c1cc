import type { Page } from "@playwright/test";
import { AREA_PATHS, PERSONAS, type PersonaKey } from "./support/personas";
import { expect, test } from "./support/test";

/**
 * Every page each persona can open, at 1280 × 800 (acceptance testing found clipped and overflowing columns at that
 * width): no table, card or region may reach past the page's main column, no scroll box may need sideways
 * scrolling, nothing clipped without an ellipsis, and the dark sidebar must run the page's full height. Pages are the
 * persona's areas plus the first detail page each area's table links to.
 */
test.use({ viewport: { width: 1280, height: 800 } });

/** Problems on the current page, each naming the element (its tag, test id or label, and its first words). */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const main = document.querySelector("main");
    if (!main) return ["no <main> element"];
    const nameOf = (el: Element) => {
      const label =
        el.getAttribute("aria-label") ?? el.getAttribute("data-testid") ?? el.textContent?.trim().slice(0, 40) ?? "";
      return `<${el.tagName.toLowerCase()}> "${label}"`;
    };
    const edge = main.getBoundingClientRect().right - Number.parseFloat(getComputedStyle(main).paddingRight) + 1;
    for (const el of main.querySelectorAll("table, section, [role=region], ul, ol, form, dl")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > edge)
        problems.push(`${nameOf(el)} reaches ${Math.round(r.right - edge)} px past the column`);
    }
    // Text running out of its own box (overflow visible), e.g. a long id in a facts card.
    for (const el of main.querySelectorAll("dd, td, code")) {
      const cs = getComputedStyle(el);
      if (cs.overflowX === "visible" && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1)
        problems.push(`${nameOf(el)} runs ${el.scrollWidth - el.clientWidth} px out of its box`);
    }
    for (const el of main.querySelectorAll("*")) {
      const cs = getComputedStyle(el);
      if (cs.textOverflow === "ellipsis" || cs.webkitLineClamp !== "none") continue;
      // Visually hidden text for screen readers (sr-only) is a 1 px box by design.
      if (el.clientWidth <= 1 || (cs.position === "absolute" && cs.clip !== "auto")) continue;
      const sideways = el.scrollWidth > el.clientWidth + 1;
      if (!sideways || el.clientWidth === 0) continue;
      if (cs.overflowX === "auto" || cs.overflowX === "scroll")
        problems.push(`${nameOf(el)} needs sideways scrolling (${el.scrollWidth} in ${el.clientWidth} px)`);
      else if (cs.overflowX === "hidden" || cs.overflowX === "clip")
        problems.push(`${nameOf(el)} clips ${el.scrollWidth - el.clientWidth} px of its content`);
    }
    // The dark column spans the whole page (a full-page capture showed it ending mid-page), and scrolled to the end
    // the navigation in it still runs from the top of the window to its bottom.
    const column = document.querySelector("aside")?.parentElement;
    if (column) {
      const page = document.documentElement.scrollHeight;
      const height = column.getBoundingClientRect().height;
      if (height < page - 1) problems.push(`the sidebar column is ${Math.round(height)} px of a ${page} px page`);
    }
    const sidebar = document.querySelector("aside");
    if (sidebar) {
      window.scrollTo(0, document.documentElement.scrollHeight);
      const r = sidebar.getBoundingClientRect();
      if (r.top > 1 || r.bottom < window.innerHeight - 1)
        problems.push(
          `scrolled to the end, the sidebar covers ${Math.round(r.top)}–${Math.round(r.bottom)} of ${window.innerHeight} px`,
        );
      window.scrollTo(0, 0);
    }
    return problems;
  });
}

/** The persona's area pages and the first detail page linked from each area's first table. */
async function pagesOf(page: Page, persona: PersonaKey): Promise<string[]> {
  const paths: string[] = [];
  for (const area of PERSONAS[persona].nav) {
    const path = AREA_PATHS[area];
    paths.push(path);
    await page.goto(path);
    const link = page.locator("main table a[href^='/']").first();
    const href = (await link.count()) ? await link.getAttribute("href") : null;
    if (href && !href.startsWith("/api/") && !paths.includes(href)) paths.push(href);
  }
  return paths;
}

for (const persona of ["analyst", "manager", "approver", "executive", "admin"] as const) {
  test.describe(`at 1280 × 800 as ${PERSONAS[persona].name}`, () => {
    test.use({ persona });
    test("no page overflows or clips its columns, and the sidebar runs the page's height", async ({ page }) => {
      test.setTimeout(120_000);
      const found: string[] = [];
      for (const path of await pagesOf(page, persona)) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        for (const p of await layoutProblems(page)) found.push(`${path}: ${p}`);
      }
      expect(found).toEqual([]);
    });
  });
}
