import { type CDPSession, expect, type Page } from "@playwright/test";

/**
 * Passkeys in the journeys, with Chromium's virtual WebAuthn authenticator (DevTools protocol): a platform
 * authenticator with user verification, as a laptop's Touch ID or Windows Hello would be. It lives with the page:
 * create it after the page exists and before any ceremony.
 */
export async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** Enrols the signed-in person's first passkey from My passkeys (a later one would ask for a step-up first). */
export async function enrolPasskey(page: Page, name = "Test laptop"): Promise<void> {
  await page.goto("/account/passkeys");
  await page.getByLabel("Passkey name").fill(name);
  await page.getByRole("button", { name: "Create passkey" }).click();
  await expect(page.getByRole("listitem", { name: `Passkey ${name}` })).toBeVisible();
}

/**
 * Answers the step-up dialog a protected action opens (components/step-up): the passkey assertion runs and the
 * action is retried. Returns the dialog's explanation.
 */
export async function confirmStepUp(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog", { name: "Confirm it’s you" });
  await expect(dialog.getByRole("button", { name: "Use my passkey" })).toBeVisible();
  const why = (await dialog.textContent()) ?? "";
  await dialog.getByRole("button", { name: "Use my passkey" }).click();
  await expect(dialog).toBeHidden();
  return why;
}
