import { expect, test } from "./support/test";

test.describe("without a session", () => {
  test("a console page redirects to the sign-in page, which offers single sign-on and the demo personas", async ({
    page,
  }) => {
    const response = await page.goto("/people?q=chen");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fpeople%3Fq%3Dchen$/);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("button", { name: "Sign in with Tidewater SSO" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Demo personas" })).toBeVisible();
  });

  test("a person page and the root redirect to sign-in too", async ({ page }) => {
    await page.goto("/people/1");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fpeople%2F1$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test("API endpoints answer 401 JSON, not a redirect", async ({ request }) => {
    const res = await request.get("/api/people/export", { maxRedirects: 0 });
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  test("a forged session cookie is not a session", async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "authjs.session-token", value: "forged", url: baseURL! }]);
    await page.goto("/people");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
