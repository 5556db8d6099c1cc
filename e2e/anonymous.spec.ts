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

  test("pages carry a nonce CSP that Next's own scripts satisfy, and the standard security headers", async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto("/sign-in");
    const headers = response!.headers();
    const csp = headers["content-security-policy"];
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    expect(headers["permissions-policy"]).toContain("publickey-credentials-get=(self)");
    // Every script the page ships carries this response's nonce, and the page is interactive (React hydrated).
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((n) => n === nonce)).toBe(true);
    await expect(page.getByRole("button", { name: "Sign in with Tidewater SSO" })).toBeEnabled();
    // A second request gets a fresh nonce.
    const again = (await page.request.get("/sign-in")).headers()["content-security-policy"];
    expect(again).not.toContain(nonce!);
    expect(violations).toEqual([]);
  });

  test("the browser's icon request is answered (no 404 in every tab's log)", async ({ request }) => {
    const res = await request.get("/favicon.ico");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  });
});
