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
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await context.cookies()).map((c) => c.name)).not.toContain("authjs.session-token");
  await page.goto("/people");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fpeople$/);
});
