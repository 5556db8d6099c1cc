import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { type PeersInfo, scim } from "@/lib/testing/peers/info";
import type { BreakGlassPeersFile } from "./support/connect-break-glass";
import { confirmStepUp, enrolPasskey, virtualAuthenticator } from "./support/passkeys";
import { PERSONAS } from "./support/personas";
import { authFile, expect, signInAsPersona, stateDir, test } from "./support/test";

/**
 * Break-glass end to end, in real browsers with Chromium's virtual WebAuthn authenticator, against the real SCIM
 * peer: two approvers (Sam Rivera and Noor Haddad, each stepping up with a passkey to approve) recover a locked-out
 * console user, Ama Owusu, whose one-time pass opens Lockstep's own enrolment page — a device-bound passkey only,
 * nothing weaker — and she signs in with it; an approver's own request and a second approval by the same person
 * are refused; her emergency access appears at the SCIM peer and is gone when she says "this wasn't me", and,
 * shortened to one minute, gone by itself at its expiry.
 */
test.describe.configure({ mode: "serial" });

const peersFile = (): BreakGlassPeersFile =>
  JSON.parse(readFileSync(path.join(stateDir(), "break-glass-peers.json"), "utf8"));
const peers = (): PeersInfo => JSON.parse(readFileSync(path.join(stateDir(), "peers.json"), "utf8"));
const shot = (name: string) => path.join("test-results", `break-glass-flow-${name}.png`);

/**
 * Who is in the privileged group, as the SCIM server itself says. The leaver journey takes this peer down for a
 * while when the journeys run together: an answer other than 200 is asked again, never read as "no members".
 */
async function groupMembers(): Promise<string[]> {
  for (let tries = 0; ; tries++) {
    const { status, body } = await scim<{ members?: { value: string }[] }>(
      peers(),
      "GET",
      `/Groups/${peersFile().groupId}`,
    );
    if (status === 200) return (body.members ?? []).map((m) => m.value);
    if (tries >= 60) throw new Error(`SCIM peer answered ${status} for the group`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** A server action's answer, on a busy two-core machine running the journeys two at a time. */
const ACTION = 30_000;

/** Long enough to ride out the leaver journey's outage of the same peer (retries back off) when run together. */
const AT_PEER = { timeout: 90_000, intervals: [1_000] };

type Signed = { context: BrowserContext; page: Page };

async function newContext(browser: Browser, storageState?: string): Promise<Signed> {
  const context = await browser.newContext({ baseURL: process.env.LOCKSTEP_E2E_BASE_URL, storageState });
  const page = await context.newPage();
  return { context, page };
}

/** An approver in a browser of their own, with a passkey for the step-ups approving needs. */
async function approverBrowser(browser: Browser, key: "approver" | "approver2"): Promise<Signed> {
  const s = await newContext(browser);
  await signInAsPersona(s.page, PERSONAS[key]);
  await virtualAuthenticator(s.page);
  await enrolPasskey(s.page, `${PERSONAS[key].name.split(" ")[0]}'s laptop`);
  return s;
}

const row = (page: Page, id: number) => page.locator(`[data-testid="queue-row"][data-request-id="${id}"]`);

/**
 * Approves request #id from the approvals queue. A recovery records how the person was proofed; emergency access
 * may be shortened. `stepUp: "required"` asserts the passkey dialog appears (no step-up in the last 5 minutes);
 * "if-asked" answers it when it does. The queue then announces the outcome, or says why it was not recorded.
 */
async function approveInQueue(
  page: Page,
  id: number,
  opts: { proofed?: string; shortenTo?: number; stepUp: "required" | "if-asked" },
): Promise<void> {
  const r = row(page, id);
  await r.getByRole("button", { name: /^Approve / }).click();
  const form = r.getByRole("form", { name: /^Approve / });
  if (opts.proofed) await form.getByLabel(opts.proofed).check();
  if (opts.shortenTo) await form.getByLabel(/Shorten to/).fill(String(opts.shortenTo));
  await form.getByRole("button", { name: "Approve", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it’s you" });
  const announced = page.getByRole("status").filter({ hasText: `#${id} (` });
  const refused = page.getByRole("alert").filter({ hasText: "Not recorded" });
  await expect(dialog.or(announced).or(refused)).toBeVisible({ timeout: ACTION });
  if (opts.stepUp === "required") await expect(dialog).toBeVisible();
  if (await dialog.isVisible())
    expect(await confirmStepUp(page)).toContain("This action needs a passkey sign-in within the last 5 minutes.");
}

const announcement = (page: Page, id: number) => page.getByRole("status").filter({ hasText: `#${id} (` });

let sam: Signed;
let noor: Signed;
let ama: Signed;
let subject: BreakGlassPeersFile["subject"];
/** The recovery of the first journey (disputed in the last). */
let recoveryId: number;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  subject = peersFile().subject;
  sam = await approverBrowser(browser, "approver");
  noor = await approverBrowser(browser, "approver2");
  ama = await newContext(browser);
});

test.afterAll(async () => {
  for (const s of [sam, noor, ama]) await s?.context.close();
});

test("a recovery approved by two approvers, each stepping up, yields a pass that enrols a device-bound passkey and nothing weaker", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  // 1. The analyst asks recovery for Ama, who is locked out: nothing weaker than her device-bound passkey is offered.
  const avery = await newContext(browser, authFile("analyst"));
  const form = avery.page;
  await form.goto("/break-glass/new");
  await form.getByLabel("Account recovery").check();
  await form.getByLabel(/Someone else/).check();
  await form.getByLabel("Search people").fill("Ama Ow");
  await form.getByRole("button", { name: /Ama Owusu/ }).click();
  await expect(form.getByLabel(/SMS code/)).toBeDisabled();
  await expect(form.getByLabel(/Synced passkey/)).toBeDisabled();
  await expect(form.getByLabel(/Device-bound passkey/)).toBeChecked();
  await form.getByLabel("Reason").selectOption("lost_factor");
  await form
    .getByLabel("What happened, and what will you do with it?")
    .fill("Ama's laptop with her only passkey was stolen at the airport; she called the service desk.");
  await form.getByLabel("Incident or ticket (optional)").fill("INC-7731");
  await form.getByRole("button", { name: "Ask for approval" }).click();
  await form.waitForURL(/\/break-glass\/\d+$/);
  const id = Number(new URL(form.url()).pathname.split("/").pop());
  recoveryId = id;
  await expect(form.getByRole("heading", { name: "Account recovery for Ama Owusu" })).toBeVisible();
  await avery.context.close();

  // 2. Sam approves with the proofing checklist: approving asks for a fresh passkey assertion first.
  const stale = await sam.context.newPage();
  await stale.goto("/break-glass/queue");
  await sam.page.goto("/break-glass/queue");
  const samRow = row(sam.page, id);
  await expect(samRow).toContainText("Account recovery");
  await expect(samRow).toContainText("asked by Avery Chen");
  await expect(samRow).toContainText("0 of 2");
  await sam.page.screenshot({ path: shot("queue"), fullPage: true });
  await approveInQueue(sam.page, id, { proofed: "Video call with photo ID", stepUp: "required" });
  await expect(announcement(sam.page, id)).toContainText("Approved: 1 of 2.", { timeout: ACTION });

  // 3. The same person cannot approve twice: a tab opened before still offers it, and the server refuses it.
  await approveInQueue(stale, id, { proofed: "In person", stepUp: "if-asked" });
  await expect(stale.getByRole("alert").filter({ hasText: "Not recorded" })).toContainText(
    "Not recorded — You have already decided this request.",
  );
  await stale.close();
  await sam.page.reload();
  await expect(row(sam.page, id).getByTestId("blocked")).toContainText("you have decided");
  await expect(row(sam.page, id).getByRole("button", { name: /^Approve / })).toHaveCount(0);

  // 4. Noor's approval (her own step-up) meets the policy: the one-time pass is shown once, with its link.
  await noor.page.goto("/break-glass/queue");
  await expect(row(noor.page, id)).toContainText("1 of 2");
  await expect(row(noor.page, id)).toContainText("Sam Rivera");
  await approveInQueue(noor.page, id, { proofed: "Manager confirmed", stepUp: "required" });
  await expect(announcement(noor.page, id)).toContainText("Approved: the policy is met, it is active now.", {
    timeout: ACTION,
  });
  const panel = noor.page.getByTestId("pass-panel");
  await expect(panel).toContainText("One-time enrolment pass for Ama Owusu");
  await expect(panel).toContainText("in Lockstep");
  const link = await panel.getByRole("link", { name: "Enrolment link for Ama Owusu" }).getAttribute("href");
  expect(link).toMatch(/\/enrol\?pass=/);
  await noor.page.screenshot({ path: shot("queue-pass"), fullPage: true });

  // 5. Ama opens the link: Lockstep's own enrolment page offers a passkey and nothing else.
  const page = ama.page;
  await page.goto(link as string);
  await expect(page.getByRole("heading", { name: "Recover with an enrolment pass" })).toBeVisible();
  await expect(page.getByLabel("Enrolment pass")).not.toHaveValue("");
  await expect(page.getByText("Codes by SMS, email or an authenticator app are not accepted")).toBeVisible();
  await expect(page.getByRole("button")).toHaveText(["Enrol a passkey"]);
  await expect(page.getByRole("radio")).toHaveCount(0);
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await page.screenshot({ path: shot("enrol"), fullPage: true });

  // A synced passkey (backed up, so multi-device) is weaker than the device-bound one she lost: the server refuses.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const synced = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      defaultBackupEligibility: true,
      defaultBackupState: true,
    },
  });
  await page.getByRole("button", { name: "Enrol a passkey" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "Synced passkey is weaker than this pass allows: enrol Phishing-resistant AAL3 or stronger.",
  );
  await page.screenshot({ path: shot("enrol-refused"), fullPage: true });
  await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: synced.authenticatorId });

  // A device-bound passkey is what the pass allows: enrolled, and the pass is used up.
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
  await page.getByRole("button", { name: "Enrol a passkey" }).click();
  await expect(page.getByRole("status")).toContainText("Passkey enrolled for Ama Owusu.", { timeout: ACTION });
  expect((await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials).toHaveLength(1);

  // The pass works once.
  await page.goto(link as string);
  await page.getByRole("button", { name: "Enrol a passkey" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This enrolment pass is not valid");

  // She signs in with the new passkey alone.
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await expect(page.getByTestId("signed-in-user")).toContainText("Ama Owusu");
  await page.goto("/account/passkeys");
  await expect(page.getByRole("listitem", { name: "Passkey Recovery passkey" })).toContainText("Device-bound passkey");

  // The request page: the pass was used, the request is active.
  await page.goto(`/break-glass/${id}`);
  await expect(page.getByRole("list", { name: "Where this request is" })).toContainText("Pass issued");
  await expect(page.getByTestId("approval")).toHaveCount(2);
});

test("an approver's own request is not theirs to decide", async () => {
  test.setTimeout(120_000);
  const page = sam.page;
  // Sam asks recovery for himself (an approver has no privileged account to elevate to).
  await page.goto("/break-glass/new");
  await page.getByLabel("Account recovery").check();
  await page.getByLabel("Reason").selectOption("lost_factor");
  await page.getByLabel("What happened, and what will you do with it?").fill("My security key broke this morning.");
  await page.getByRole("button", { name: "Ask for approval" }).click();
  await page.waitForURL(/\/break-glass\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split("/").pop());
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  await page.goto("/break-glass/queue");
  const mine = row(page, id);
  await expect(mine.getByTestId("blocked")).toContainText("Not yours to decide: you asked for it");
  await expect(mine.getByRole("button", { name: /^Approve / })).toHaveCount(0);
  await mine.click();
  await page.keyboard.press("a");
  await expect(page.getByRole("alert").filter({ hasText: "You cannot decide" })).toContainText("you asked for it");
  // Noor may decide it; Sam withdraws it instead.
  await noor.page.goto("/break-glass/queue");
  await expect(row(noor.page, id).getByRole("button", { name: /^Approve / })).toBeVisible();
  await page.goto(`/break-glass/${id}`);
  await page.getByRole("button", { name: "Cancel request" }).click();
  await page.getByRole("button", { name: "Cancel request" }).last().click();
  await expect(page.getByRole("list", { name: "Where this request is" })).toContainText("Cancelled");
});

/** Ama asks for the Connected App's admin group for herself; returns the request id. */
async function askEmergencyAccess(page: Page): Promise<number> {
  const { entitlement } = peersFile();
  await page.goto("/break-glass/new");
  await page.getByLabel("Emergency access").check();
  await page.getByRole("radio", { name: entitlement }).check();
  await page.getByLabel(/For how long\?/).selectOption("15");
  await page.getByLabel("Reason").selectOption("incident_response");
  await page
    .getByLabel("What happened, and what will you do with it?")
    .fill("Nightly export to the Connected App is stuck; I need admin rights to restart the sync.");
  await page.getByRole("button", { name: "Ask for approval" }).click();
  await page.waitForURL(/\/break-glass\/\d+$/);
  return Number(new URL(page.url()).pathname.split("/").pop());
}

test("an emergency grant approved by two appears at the SCIM peer, and the subject's 'this wasn't me' ends it", async () => {
  test.setTimeout(240_000);
  const id = await askEmergencyAccess(ama.page);
  expect(await groupMembers()).not.toContain(subject.scimUserId);

  await sam.page.goto("/break-glass/queue");
  await approveInQueue(sam.page, id, { stepUp: "if-asked" });
  await expect(announcement(sam.page, id)).toContainText("Approved: 1 of 2.", { timeout: ACTION });
  await noor.page.goto("/break-glass/queue");
  await approveInQueue(noor.page, id, { stepUp: "if-asked" });
  await expect(announcement(noor.page, id)).toContainText("Approved: the policy is met, it is active now.", {
    timeout: ACTION,
  });
  // Granted at the system through the remediation engine, as the SCIM server itself says.
  await expect.poll(groupMembers, AT_PEER).toContain(subject.scimUserId);

  // Ama is told in-app; the notice leads to the request, where she says it wasn't her.
  const page = ama.page;
  await page.goto("/dashboard");
  await page.getByTestId("notice-bell").click();
  await page
    .getByRole("dialog", { name: "Notices" })
    .getByRole("link", { name: /Emergency access was granted to you/ })
    .first()
    .click();
  await page.waitForURL(new RegExp(`/break-glass/${id}$`));
  await page.getByRole("button", { name: "This wasn't me" }).click();
  await page.getByRole("button", { name: "It wasn't me — end it now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Disputed" })).toContainText("Disputed: it was ended and", {
    timeout: ACTION,
  });
  await expect(page.getByRole("list", { name: "Where this request is" })).toContainText("Disputed");
  // Removed at the system.
  await expect.poll(groupMembers, AT_PEER).not.toContain(subject.scimUserId);
});

test("an emergency grant shortened to one minute is gone from the SCIM peer by itself when its time is up", async () => {
  test.setTimeout(300_000);
  const id = await askEmergencyAccess(ama.page);
  await sam.page.goto("/break-glass/queue");
  // The first approver shortens it to one minute (never longer than asked).
  await approveInQueue(sam.page, id, { shortenTo: 1, stepUp: "if-asked" });
  await expect(announcement(sam.page, id)).toContainText("Approved: 1 of 2.", { timeout: ACTION });
  await noor.page.goto("/break-glass/queue");
  await approveInQueue(noor.page, id, { stepUp: "if-asked" });
  await expect(announcement(noor.page, id)).toContainText("Approved: the policy is met, it is active now.", {
    timeout: ACTION,
  });
  await expect.poll(groupMembers, AT_PEER).toContain(subject.scimUserId);

  // The expiry job (queued for the expiry, the per-minute sweep behind it) removes it and verifies the removal.
  await expect.poll(groupMembers, { timeout: 180_000, intervals: [2_000] }).not.toContain(subject.scimUserId);
  await ama.page.goto(`/break-glass/${id}`);
  await expect(ama.page.getByRole("list", { name: "Where this request is" })).toContainText("Expired");
  await expect(ama.page.getByRole("button", { name: "This wasn't me" })).toBeVisible();
});

test("disputing the recovery removes the passkey its pass enrolled and ends the session it opened", async () => {
  test.setTimeout(120_000);
  const page = ama.page;
  await page.goto(`/break-glass/${recoveryId}`);
  await page.getByRole("button", { name: "This wasn't me" }).click();
  await expect(page.getByRole("dialog")).toContainText("a passkey it enrolled is removed");
  await page.getByRole("button", { name: "It wasn't me — end it now" }).click();
  // This session was opened with that passkey: it ends, and the passkey no longer signs anyone in. (Asked again
  // until the dispute has committed: navigating away at once could reach the server before the action did.)
  await expect
    .poll(
      async () => {
        await page.goto("/account/passkeys");
        return new URL(page.url()).pathname;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe("/sign-in");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByText("Lockstep does not know that passkey (it may have been removed).")).toBeVisible();
});
