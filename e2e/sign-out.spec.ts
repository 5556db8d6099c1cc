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
