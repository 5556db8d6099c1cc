import { confirmStepUp, enrolPasskey, virtualAuthenticator } from "./support/passkeys";
import { PERSONAS } from "./support/personas";
import { expect, expectSignedInAs, signInAsPersona, test } from "./support/test";

/**
 * Console passkeys in a real browser, with Chromium's virtual WebAuthn authenticator (CDP): the administrator
 * enrols a passkey, a protected action (waiving a revocation task) asks for a fresh step-up that runs in place and
 * then goes through, and the passkey signs her in from the sign-in page.
 */
const priya = PERSONAS.admin;
test.setTimeout(120_000);

test("an administrator enrols a passkey, steps up with it to waive a task, and signs in with it", async ({ page }) => {
  // A session of her own (signing out must not end the saved one other journeys use).
  await signInAsPersona(page, priya);
  const { cdp, authenticatorId } = await virtualAuthenticator(page);

  // 1. Enrol: My passkeys, from the header.
  await page.getByRole("link", { name: "My passkeys" }).click();
  await expect(page.getByRole("heading", { name: "My passkeys" })).toBeVisible();
  await expect(page.getByText("No passkeys yet")).toBeVisible();
  await page.getByLabel("Passkey name").fill("Test laptop");
  await page.getByRole("button", { name: "Create passkey" }).click();
  const row = page.getByRole("listitem", { name: "Passkey Test laptop" });
  await expect(row).toContainText("Device-bound passkey");
  await expect(row).toContainText("never used");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].isResidentCredential).toBe(true);

  // 2. A protected action: waiving needs a passkey within 5 minutes; the demo sign-in is not one.
  await page.goto("/leavers/9");
  const waive = page.getByRole("button", { name: /^Waive: / }).first();
  const label = ((await waive.getAttribute("aria-label")) ?? "").replace(/^Waive: /, "");
  await waive.click();
  await page.getByLabel("Why this will not be done").fill("Handled by the vendor's own offboarding run");
  await page.getByRole("button", { name: "Waive task" }).click();
  await expect(page.getByRole("dialog", { name: "Confirm it’s you" })).toBeVisible();
  await page.screenshot({ path: "test-results/passkeys-step-up.png" });
  expect(await confirmStepUp(page)).toContain("This action needs a passkey sign-in within the last 5 minutes.");
  // The action was retried after the step-up and went through.
  await expect(page.getByText("Waived by Priya Nair: Handled by the vendor's own offboarding run")).toBeVisible();
  await expect(page.getByRole("button", { name: `Waive: ${label}` })).toHaveCount(0);

  // The session now carries the step-up; the passkey was used.
  await page.goto("/account/passkeys");
  await expect(page.getByText(/Last step-up just now|Last step-up 1 min ago/)).toBeVisible();
  await expect(row).not.toContainText("never used");
  await page.screenshot({ path: "test-results/passkeys-my-passkeys.png", fullPage: true });

  // 3. Sign out, and back in with the passkey alone.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await expectSignedInAs(page, priya);
  await page.goto("/account/passkeys");
  await expect(page.getByText(/This session: signed in with a passkey/)).toBeVisible();
});

test("a passkey the server does not know is refused on the sign-in page", async ({ page }) => {
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  // A credential for this site that Lockstep never registered (as after a passkey is removed).
  const { privateKey } = await import("node:crypto").then((c) => c.generateKeyPairSync("ec", { namedCurve: "P-256" }));
  await page.goto("/sign-in");
  await page.screenshot({ path: "test-results/passkeys-sign-in.png" });
  await cdp.send("WebAuthn.addCredential", {
    authenticatorId,
    credential: {
      credentialId: Buffer.from("unknown-credential").toString("base64"),
      isResidentCredential: true,
      rpId: new URL(page.url()).hostname,
      privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      userHandle: Buffer.from("someone").toString("base64"),
      signCount: 0,
    },
  });
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByText("Lockstep does not know that passkey (it may have been removed).")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a second passkey needs a step-up with the first; a fresh step-up also covers renaming and removing", async ({
  page,
}) => {
  await signInAsPersona(page, PERSONAS.analyst);
  await virtualAuthenticator(page);
  await enrolPasskey(page, "Phone");

  // Adding another asks for the existing passkey first; this authenticator already holds one, so the browser
  // refuses to make a second (the server listed it to exclude) and the page says why.
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByLabel("Passkey name").fill("Backup key");
  await page.getByRole("button", { name: "Create passkey" }).click();
  await confirmStepUp(page);
  await expect(page.getByText("This authenticator already holds one of your passkeys.")).toBeVisible();

  await page.getByRole("button", { name: "Rename Phone" }).click();
  await page.getByLabel("New name for Phone").fill("Work phone");
  await page.getByRole("button", { name: "Save" }).click();
  const row = page.getByRole("listitem", { name: "Passkey Work phone" });
  await expect(row).toBeVisible();

  // Removing needs a step-up too; the one just made is less than 5 minutes old, so no dialog this time.
  await row.getByRole("button", { name: "Remove Work phone" }).click();
  await row.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(page.getByText("No passkeys yet")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});
