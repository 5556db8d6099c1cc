import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { ALL_AREAS, AREA_PATHS, type Persona, type PersonaKey } from "./personas";

/** Where global-setup.ts keeps this run's files (saved sign-in states among them). */
export function stateDir(): string {
  const dir = process.env.LOCKSTEP_E2E_STATE_DIR;
  if (!dir) throw new Error("LOCKSTEP_E2E_STATE_DIR is not set: run the journeys through `npm run test:e2e`");
  return dir;
}

export const authFile = (persona: PersonaKey) => path.join(stateDir(), `auth-${persona}.json`);

/**
 * `test.use({ persona: "analyst" })` starts each test signed in as that persona (the state saved by
 * personas.setup.ts); without it the browser is anonymous.
 */
export const test = base.extend<{ persona: PersonaKey | null }>({
  persona: [null, { option: true }],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from its first parameter, which must be an object pattern; this fixture has none.
  baseURL: async ({}, use) => use(process.env.LOCKSTEP_E2E_BASE_URL),
  storageState: async ({ persona }, use) => use(persona ? authFile(persona) : undefined),
  page: async ({ page }, use) => {
    // The provider's dev login page imports a web font; there is no internet here, so fail it at once.
    await page.route(/fonts\.(googleapis|gstatic)\.com/, (route) => route.abort());
    await use(page);
  },
});

export { expect };

export async function signInAsPersona(page: Page, persona: Persona): Promise<void> {
  await page.goto("/sign-in");
  await page
    .getByRole("button", { name: `Sign in as ${persona.name} (${persona.roleLabel})` })
    .first()
    .click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

export async function expectNavigation(page: Page, persona: Persona): Promise<void> {
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([...persona.nav]);
}

export async function expectSignedInAs(page: Page, persona: Persona): Promise<void> {
  const header = page.getByTestId("signed-in-user");
  await expect(header).toContainText(persona.name);
  await expect(header).toContainText(persona.roleLabel);
}

/** Status of a full page load (the document response), following redirects. */
export async function statusOf(page: Page, url: string): Promise<number> {
  const response = await page.goto(url);
  if (!response) throw new Error(`no response for ${url}`);
  return response.status();
}

/** Opens every area: the persona's own answer 200, the others the 403 page. Reports all mismatches at once. */
export async function expectAreaAccess(page: Page, persona: Persona): Promise<void> {
  const wrong: string[] = [];
  for (const area of ALL_AREAS) {
    const allowed = persona.nav.includes(area) || Boolean(persona.alsoOpens?.includes(area));
    const status = await statusOf(page, AREA_PATHS[area]);
    const redirect = persona.redirects?.[area];
    if (redirect) {
      const landed = new URL(page.url()).pathname;
      if (status !== 200 || landed !== redirect)
        wrong.push(`${AREA_PATHS[area]}: ${status} at ${landed}, expected a redirect to ${redirect}`);
      continue;
    }
    if (status !== (allowed ? 200 : 403)) wrong.push(`${AREA_PATHS[area]}: ${status}, expected ${allowed ? 200 : 403}`);
    else if (!allowed && !(await shows(page, "403 · Forbidden")))
      wrong.push(`${AREA_PATHS[area]}: 403 without the Forbidden page`);
  }
  expect(wrong, `${persona.name}'s access to each area`).toEqual([]);
}

/** Whether the text appears (waiting a little, as the page may still be rendering). */
async function shows(page: Page, text: string): Promise<boolean> {
  return page
    .getByText(text)
    .waitFor({ state: "visible", timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
}
