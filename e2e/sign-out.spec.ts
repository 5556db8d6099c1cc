import { expect, signInAsPersona, test } from "./support/test";

// A fresh session (not a saved persona state), so signing out cannot disturb other journeys.
test("signing out ends the session", async ({ page, context }) => {
  await signInAsPersona(page, {
    key: "analyst",
    name: "Jordan Okafor",
    email: "jordan.okafor@tidewater.example",
    roleLabel: "IAM analyst",
    nav: [],
  });
  await expect(page.getByTestId("signed-in-user")).toContainText("Jordan Okafor");
  const { auth } = await (await page.request.get("/api/auth/session")).json();
  expect(auth).toMatchObject({ method: "demo", acr: null, amr: [] });
  expect(Math.abs(auth.authTime - Date.now() / 1000)).toBeLessThan(120);
  const copied = await context.cookies();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await context.cookies()).map((c) => c.name)).not.toContain("authjs.session-token");
  await page.goto("/people");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fpeople$/);
  // The session ended on the server: the cookie copied before sign-out opens nothing.
  await context.addCookies(copied);
  await page.goto("/people");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
});

test("signing out everywhere ends the sessions of every browser", async ({ page, context, browser, baseURL }) => {
  await signInAsPersona(page, {
    key: "analyst",
    name: "Jordan Okafor",
    email: "jordan.okafor@tidewater.example",
    roleLabel: "IAM analyst",
    nav: [],
  });
  // A second browser holding the same person's session (as a stolen cookie would).
  const other = await browser.newContext({ baseURL });
  await other.addCookies(await context.cookies());
  const elsewhere = await other.newPage();
  await elsewhere.goto("/people");
  await expect(elsewhere.getByTestId("signed-in-user")).toContainText("Jordan Okafor");

  await page.goto("/account/passkeys");
  const sessions = page.getByRole("list", { name: "Signed-in sessions" });
  await expect(sessions.getByRole("listitem").first()).toBeVisible();
  await page.getByRole("button", { name: /Sign out (everywhere|all \d+ sessions)/ }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await elsewhere.goto("/people");
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  await other.close();
});

test("a caller cannot choose the address Lockstep records: X-Forwarded-For counts only from a configured proxy", async ({
  browser,
  baseURL,
}) => {
  // No LOCKSTEP_TRUSTED_PROXIES in the journeys: a browser's own X-Forwarded-For is dropped at the server.
  const spoofing = await browser.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.77" } });
  const page = await spoofing.newPage();
  await signInAsPersona(page, {
    key: "analyst",
    name: "Jordan Okafor",
    email: "jordan.okafor@tidewater.example",
    roleLabel: "IAM analyst",
    nav: [],
  });
  await page.goto("/account/passkeys");
  const sessions = page.getByRole("list", { name: "Signed-in sessions" });
  await expect(sessions.getByRole("listitem").first()).toBeVisible();
  await expect(sessions).toContainText(/127\.0\.0\.1|::1/);
  await expect(sessions).not.toContainText("203.0.113.77");
  await spoofing.close();
});
