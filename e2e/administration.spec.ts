import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import type { PeersInfo } from "@/lib/testing/peers/info";
import type { AdminE2eFile } from "./support/connect-admin";
import { confirmStepUp, enrolPasskey, virtualAuthenticator } from "./support/passkeys";
import { expect, signInAsPersona, stateDir, test } from "./support/test";

/**
 * Administration: a second administrator (e2e/support/connect-admin.ts) connects a system to the real SCIM peer,
 * tests the connection, and removes a console role from a signed-in executive, whose session ends at once. Saves
 * the administration screens at 1280 px (SHOTS: test-results, or e2e/screenshots with npm run screenshots).
 */
test.setTimeout(150_000);
test.use({ viewport: { width: 1280, height: 900 } });

import { SHOTS } from "./support/screenshots";

mkdirSync(SHOTS, { recursive: true });
async function shot(page: Page, name: string) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(2400, Math.max(900, height)) });
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("an administrator connects a system, tests it, and removes a role, ending that person's session", async ({
  page,
  browser,
  baseURL,
}) => {
  const admin = JSON.parse(readFileSync(path.join(stateDir(), "admin-e2e.json"), "utf8")) as AdminE2eFile;
  const peers = JSON.parse(readFileSync(path.join(stateDir(), "peers.json"), "utf8")) as PeersInfo;
  await signInAsPersona(page, {
    key: "admin",
    name: admin.name,
    email: admin.email,
    roleLabel: "Administrator",
    nav: [],
  });
  await virtualAuthenticator(page);
  await enrolPasskey(page, "Admin laptop");

  // 1. Connect a system to the SCIM peer: the secret stays in the server's environment, named, never pasted.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Connected systems" }).click();
  await page.getByRole("link", { name: "Connect a system" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Peer App (administration)");
  await page.getByLabel("Criticality").selectOption("high");
  await page.getByLabel("SCIM base URL").fill(peers.scim.url);
  await page.getByLabel("Secret: name of the environment variable").fill("LOCKSTEP_TEST_SCIM_TOKEN");
  await expect(page.getByText("Acts for real")).toBeVisible();
  await shot(page, "system-connect.png");
  await page.getByRole("button", { name: "Connect system" }).click();
  expect(await confirmStepUp(page)).toContain("passkey");
  await expect(page).toHaveURL(/\/systems\/\d+\?connected=1$/);
  await expect(page.getByRole("heading", { name: "Peer App (administration)" })).toBeVisible();

  // 2. Test the connection: what the peer answered, call by call.
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByRole("status", { name: "Connection test result" });
  await expect(result).toContainText("Connected");
  await expect(result).toContainText("GET /ServiceProviderConfig");
  await expect(result).toContainText("PATCH yes");
  await expect(result).toContainText("bearer token accepted");
  await expect(result.getByText("200").first()).toBeVisible();
  await shot(page, "system-settings.png");

  // 3. Remove a role from someone signed in elsewhere: their session ends at once.
  const other = await browser.newContext({ baseURL });
  const david = await other.newPage();
  await signInAsPersona(david, {
    key: "executive",
    name: "David Mensah",
    email: "david.mensah@tidewater.example",
    roleLabel: "Executive",
    nav: [],
  });
  await expect(david.getByTestId("signed-in-user")).toContainText("David Mensah");

  await page.goto("/settings/roles");
  const row = page.getByRole("row").filter({ hasText: "David Mensah" });
  await expect(row.getByText("1 live")).toBeVisible();
  await shot(page, "console-roles.png");
  await row.getByRole("button", { name: "Remove Executive from David Mensah" }).click();
  await row.getByRole("button", { name: "Confirm removing Executive from David Mensah" }).click();
  // Within 5 minutes of the last step-up no dialog opens; on a slow run it may, and is answered.
  const stepUp = page.getByRole("dialog", { name: "Confirm it’s you" });
  await Promise.race([stepUp.waitFor(), row.waitFor({ state: "detached" })]);
  if (await stepUp.isVisible()) await confirmStepUp(page);
  await expect(page.getByRole("row").filter({ hasText: "David Mensah" })).toHaveCount(0);

  await david.goto("/dashboard");
  await expect(david).toHaveURL(/\/sign-in/);
  await other.close();

  // 4. Policies, with links to the policies that have pages of their own.
  await page.goto("/settings/policies");
  await expect(page.getByRole("heading", { name: "Leaver SLAs" })).toBeVisible();
  await shot(page, "policies.png");
});
