import type { Page } from "@playwright/test";
import { PERSONAS } from "./support/personas";
import { expect, expectNavigation, expectSignedInAs, test } from "./support/test";

/** Starts single sign-on from the sign-in page and completes the local provider's login (and consent) form. */
async function signInThroughProvider(page: Page, login: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Tidewater SSO" }).click();
  const form = page.locator("input[name=login]");
  await expect(form).toBeVisible();
  expect(new URL(page.url()).origin).not.toBe(new URL(process.env.LOCKSTEP_E2E_BASE_URL!).origin);
  await form.fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // The provider asks for consent the first time a client wants these scopes.
  const consent = page.getByRole("button", { name: "Continue" });
  const app = new URL(process.env.LOCKSTEP_E2E_BASE_URL!).origin;
  await page.waitForURL((url) => url.origin === app || url.pathname.includes("/interaction/"));
  if (new URL(page.url()).origin !== app) await consent.click();
  await page.waitForURL((url) => url.origin === app && !url.pathname.startsWith("/api/auth"));
}

test("Avery Chen signs in through the OpenID provider and lands in the console", async ({ page }) => {
  const avery = PERSONAS.analyst;
  const started = Math.floor(Date.now() / 1000);
  await signInThroughProvider(page, avery.email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expectSignedInAs(page, avery);
  await expectNavigation(page, avery);
  // The session records how and when she authenticated (the edge checks it when an endpoint needs a step-up).
  const { auth } = await (await page.request.get("/api/auth/session")).json();
  expect(auth).toMatchObject({ method: "oidc", amr: expect.any(Array) });
  expect(auth.authTime).toBeGreaterThanOrEqual(started - 5);
  expect(auth.authTime).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 5);
});

test("the provider's email is matched case-insensitively", async ({ page }) => {
  await signInThroughProvider(page, "Maya.Patel@Tidewater.example");
  await expectSignedInAs(page, PERSONAS.manager);
});

for (const [who, login] of [
  ["an email unknown to Lockstep", "visitor@elsewhere.example"],
  ["a seeded employee without a console role", "daniel.brooks@tidewater.example"],
]) {
  test(`${who} is refused with the "no console role" message`, async ({ page }) => {
    await signInThroughProvider(page, login);
    await expect(page).toHaveURL(/\/sign-in\?error=NotAConsoleUser/);
    await expect(page.getByRole("alert").filter({ hasText: "that email has no Lockstep console role" })).toBeVisible();
    await page.goto("/people");
    await expect(page).toHaveURL(/\/sign-in/);
  });
}

test("an unverified email is refused", async ({ page }) => {
  await signInThroughProvider(page, `unverified+${PERSONAS.analyst.email}`);
  await expect(page).toHaveURL(/\/sign-in\?error=NoVerifiedEmail/);
  await expect(page.getByRole("alert").filter({ hasText: "did not return a verified email address" })).toBeVisible();
});
