import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { type PeersInfo, scim } from "@/lib/testing/peers/info";
import type { ReviewPeersFile } from "./support/connect-reviews";
import { confirmStepUp, enrolPasskey, virtualAuthenticator } from "./support/passkeys";
import { authFile, expect, stateDir, test } from "./support/test";

/**
 * The review journey at the real peers (e2e/support/connect-reviews.ts): an analyst launches an access review and an
 * API-scope review from /reviews/new after their preview; Maya decides in her inbox with the keyboard — a revoke, a
 * keep, a bulk keep refused because it holds privileged access, her own access refused, a credential reduced; the
 * analyst closes both campaigns, what nobody decided follows the policy, and the remediation jobs carry the changes
 * out: the membership is gone from the SCIM group and the OAuth client can no longer get a token for the dropped
 * scope. The evidence report lists all of it. Saves the review screens' screenshots to e2e/screenshots/.
 */
test.use({ persona: "analyst" });
test.setTimeout(150_000);

import { SHOTS } from "./support/screenshots";

mkdirSync(SHOTS, { recursive: true });
/** The whole page, drawn at its full height (a fullPage capture repaints the sticky sidebar mid-page). */
async function shot(page: Page, name: string, maxHeight = 2400) {
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  const height = await page.evaluate(() => {
    window.scrollTo(0, 0);
    return document.documentElement.scrollHeight;
  });
  await page.setViewportSize({ width: viewport.width, height: Math.min(maxHeight, Math.max(viewport.height, height)) });
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize(viewport);
}

const files = () => ({
  review: JSON.parse(readFileSync(path.join(stateDir(), "review-peers.json"), "utf8")) as ReviewPeersFile,
  peers: JSON.parse(readFileSync(path.join(stateDir(), "peers.json"), "utf8")) as PeersInfo,
});

/** Picks options of a scope list by searching it (the list shows what matches the search). */
async function pick(page: Page, legend: string, search: string, option: RegExp) {
  const group = page.getByRole("group", { name: legend });
  await group.getByRole("searchbox").fill(search);
  await group.getByRole("checkbox", { name: option }).check();
  await group.getByRole("searchbox").fill("");
}

/** Launches the form's campaign once its preview has counted; returns the new campaign's id. */
async function launch(page: Page): Promise<number> {
  const preview = page.getByTestId("campaign-preview");
  await expect(preview).toHaveAttribute("aria-busy", "false", { timeout: 20_000 });
  await page.getByRole("button", { name: "Review and launch" }).click();
  await page
    .getByRole("dialog", { name: "Launch the campaign" })
    .getByRole("button", { name: "Launch campaign" })
    .click();
  await page.waitForURL(/\/reviews\/\d+\?launched=1$/, { timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: "Launched:" })).toBeVisible();
  return Number(new URL(page.url()).pathname.split("/").at(-1));
}

/** The same item however its decision changes (filters on the decision would move on to another one). */
async function pinned(page: Page, item: Locator): Promise<Locator> {
  const id = await item.getAttribute("data-item-id");
  return page.locator(`[data-testid=review-item][data-item-id="${id}"]`);
}

/** A list entry by its text (its line of words), so it is the same entry after the list changes. */
async function pinnedText(item: Locator): Promise<Locator> {
  const text = (await item.locator("p").first().textContent()) ?? "";
  const who = (await item.locator("p").nth(1).textContent())?.split(" · ")[0] ?? "";
  return item.page().getByTestId("restorable-item").filter({ hasText: text }).filter({ hasText: who });
}

/** Moves the inbox's focus to the item with j/k, as a reviewer would (one key at a time, each seen to land). */
async function focus(page: Page, item: Locator) {
  const target = Number(await item.getAttribute("data-index"));
  const focused = page.locator('[data-testid=review-item][aria-current="true"]');
  for (let step = 0; step < 200; step++) {
    const current = Number(await focused.getAttribute("data-index"));
    if (current === target) break;
    await page.keyboard.press(target > current ? "j" : "k");
    await expect(focused).not.toHaveAttribute("data-index", String(current));
  }
  await expect(item).toHaveAttribute("aria-current", "true");
}

test("an analyst runs an access review and an API-scope review; Maya decides by keyboard; closing revokes at the real peers", async ({
  page,
  browser,
  baseURL,
}) => {
  const { review, peers } = files();
  await page.setViewportSize({ width: 1440, height: 900 });

  // 1. Launch an access review of Engineering's Slack and Connected App access, after its preview.
  await page.goto("/reviews");
  await expect(page.getByRole("table", { name: "Review campaigns" })).toBeVisible();
  await shot(page, "reviews.png");
  await page.getByRole("link", { name: "New campaign" }).click();
  await page.getByRole("button", { name: "Review and launch" }).click();
  await expect(page.getByTestId("error-name")).toHaveText("Name the campaign (3 characters at least).");
  await page.getByLabel("Name", { exact: true }).fill("Engineering — Slack and Connected App (e2e)");
  await pick(page, "Departments", "Engineering", /^Engineering/);
  await pick(page, "Systems", "Connected", /^Connected App/);
  await pick(page, "Systems", "Slack", /^Slack$/);
  await page.getByRole("radiogroup", { name: "No-response policy" }).getByRole("radio", { name: /^Keep/ }).check();
  const preview = page.getByTestId("campaign-preview");
  await expect(preview).toContainText("Engineering");
  await expect(preview).toContainText("to the fallback reviewer");
  await expect(preview).toHaveAttribute("aria-busy", "false", { timeout: 20_000 });
  expect(Number(await page.getByTestId("preview-items").textContent())).toBeGreaterThan(10);
  await shot(page, "review-new.png");
  const accessId = await launch(page);

  // 2. And an API-scope review of the partner API's non-human clients: exactly Maya's partner-sync client.
  await page.goto("/reviews/new");
  await page.getByLabel("Name", { exact: true }).fill("Partner API clients (e2e)");
  await page.getByRole("radio", { name: /^API scopes/ }).check();
  await pick(page, "Systems", "Partner", /^Partner API/);
  await page.getByLabel("Held by non-human identities only").check();
  await expect(page.getByTestId("preview-items")).toHaveText("1", { timeout: 20_000 });
  await expect(page.getByTestId("preview-reviewers")).toHaveText("1");
  const apiId = await launch(page);

  // 3. Maya decides in her inbox, by keyboard.
  const mayaContext = await browser.newContext({ storageState: authFile("manager"), baseURL });
  const maya = await mayaContext.newPage();
  await maya.setViewportSize({ width: 1440, height: 900 });
  await maya.goto("/reviews");
  await expect(maya).toHaveURL(/\/reviews\/inbox$/);
  await maya.goto(`/reviews/inbox?campaign=${accessId}`);
  // The inbox's own notice (Next's route announcer is an alert too).
  const refusal = maya.locator("p[role=alert]");
  const items = maya.getByTestId("review-item");
  const adminItem = items.filter({
    has: maya.getByRole("checkbox", { name: `Select App Admins for ${review.report.name}` }),
  });
  await focus(maya, adminItem);
  await maya.keyboard.press("r");
  await expect(adminItem).toHaveAttribute("data-decision", "revoke");
  await expect(adminItem).not.toHaveAttribute("aria-busy", "true");
  const keepable = await pinned(
    maya,
    items
      .and(maya.locator('[data-decision=""]'))
      .filter({ hasNot: maya.getByText("Privileged", { exact: true }) })
      .filter({ has: maya.locator("p", { hasText: /^Suggested:\s*Keep/ }) })
      .first(),
  );
  await focus(maya, keepable);
  await maya.keyboard.press("a");
  await expect(keepable).toHaveAttribute("data-decision", "keep");
  await expect(keepable).not.toHaveAttribute("aria-busy", "true");
  await expect(refusal).toHaveCount(0);

  // A bulk keep that includes privileged access is refused, visibly, and changes nothing.
  const undecidedPlain = await pinned(
    maya,
    items
      .and(maya.locator('[data-decision=""]'))
      .filter({ hasNot: maya.getByText("Privileged", { exact: true }) })
      .first(),
  );
  await focus(maya, undecidedPlain);
  await maya.keyboard.press("x");
  await focus(maya, adminItem);
  await maya.keyboard.press("x");
  await expect(maya.getByText("2 selected")).toBeVisible();
  await maya.keyboard.press("Shift+A");
  await expect(refusal).toContainText(/A bulk keep cannot include 1 privileged/);
  await shot(maya, "review-inbox.png", 1200);
  await expect(undecidedPlain).toHaveAttribute("data-decision", "");
  await expect(adminItem).toHaveAttribute("data-decision", "revoke");

  // Her own access, wrongly in her inbox, cannot be decided by her.
  const campaignSelect = maya.getByLabel("Campaign");
  const ownCampaign = await campaignSelect
    .locator("option", { hasText: "Privileged access — Technology" })
    .getAttribute("value");
  await maya.goto(`/reviews/inbox?campaign=${ownCampaign}`);
  const own = items.filter({
    has: maya.getByRole("checkbox", { name: `Select ${review.ownItem.what} for Maya Patel` }),
  });
  await focus(maya, own);
  await maya.keyboard.press("a");
  await expect(refusal).toContainText("You cannot decide your own access");
  await expect(own).toHaveAttribute("data-decision", "");

  // The partner-sync client keeps only the scope it uses.
  await maya.goto(`/reviews/inbox?campaign=${apiId}`);
  const client = items.filter({ hasText: review.client.credentialName });
  await expect(client).toHaveAttribute("aria-current", "true");
  await maya.keyboard.press("e");
  await maya.getByRole("button", { name: "Reduce to 1 scope" }).click();
  await expect(client).toHaveAttribute("data-decision", "reduce");
  await expect(client.getByTestId("item-decision")).toContainText("keeps api:read");
  await mayaContext.close();

  // 4. The analyst sees Maya's progress, then closes both campaigns: what nobody decided follows the policy.
  // Closing before the due date needs a fresh passkey step-up: Avery enrols one first.
  await virtualAuthenticator(page);
  await enrolPasskey(page, "Avery's laptop");
  await page.goto(`/reviews/${accessId}`);
  const mayaRow = page
    .getByRole("table", { name: "Progress by reviewer" })
    .getByRole("row")
    .filter({ hasText: "Maya Patel" });
  await expect(mayaRow).toContainText("Manager");
  await expect(page.getByRole("progressbar", { name: "Decided by Maya Patel" })).toBeVisible();
  await shot(page, "review-campaign.png");
  await page.getByRole("button", { name: "Nudge reviewers" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /^Reminded \d+ reviewers of \d+ open items\.$/ }),
  ).toBeVisible();
  await expect(mayaRow).not.toContainText("not yet");
  await page.getByRole("button", { name: "Close campaign" }).click();
  const dialog = page.getByRole("dialog", { name: "Close the campaign?" });
  await expect(dialog.getByTestId("close-outcome")).toContainText("will be kept, and reported as not reviewed");
  await expect(dialog.getByTestId("close-outcome")).toContainText("undecided privileged grant");
  await dialog.getByRole("button", { name: "Close campaign" }).click();
  expect(await confirmStepUp(page)).toContain("passkey");
  await expect(page.getByRole("status").filter({ hasText: "Closed:" })).toBeVisible();
  await expect(page.getByText("Closed", { exact: true }).first()).toBeVisible();

  await page.goto(`/reviews/${apiId}`);
  await page.getByRole("button", { name: "Close campaign" }).click();
  await expect(page.getByRole("dialog", { name: "Close the campaign?" })).toContainText("Every item has a decision.");
  await page
    .getByRole("dialog", { name: "Close the campaign?" })
    .getByRole("button", { name: "Close campaign" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Closed:" })).toBeVisible();
  await expect(page.getByTestId("tasks-verified")).toHaveText("1", { timeout: 60_000 });

  // 5. Privileged access revoked for no answer can be restored, with a justification.
  await page.goto(`/reviews/${accessId}`);
  const restorable = await pinnedText(page.getByTestId("restorable-item").first());
  await restorable.getByRole("button", { name: /^Restore / }).click();
  await restorable.getByLabel(/^Why must/).fill("On call for the Slack migration until the end of the month");
  await restorable.getByRole("button", { name: "Restore with this justification" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is being restored" })).toBeVisible();
  await expect(restorable).toHaveCount(0); // the page shows the restore's own task from here on

  // 6. Remediation runs as jobs; the page follows it until every change is verified.
  await expect(page.getByTestId("tasks-pending")).toHaveText("0", { timeout: 90_000 });
  await expect(page.getByTestId("tasks-failed")).toHaveText("0");
  await expect(page.getByText("Complete: every change verified")).toBeVisible();
  await shot(page, "review-campaign-closed.png");
  await page.getByRole("link", { name: "See the tasks" }).click();
  await page.getByRole("link", { name: "All", exact: true }).click();
  await expect(page.getByRole("list", { name: "Remediation tasks" }).getByTestId("task-row").first()).toBeVisible();
  await shot(page, "review-tasks.png");

  // 7. At the real peers: the membership is gone from the SCIM group; the client cannot get a token for api:write.
  const groups = await scim<{ Resources: { id: string; members?: { value: string }[] }[] }>(
    peers,
    "GET",
    `/Groups?filter=${encodeURIComponent('displayName eq "App Admins"')}`,
  );
  const group = await scim<{ members?: { value: string }[] }>(peers, "GET", `/Groups/${groups.body.Resources[0].id}`);
  expect(group.status).toBe(200);
  expect((group.body.members ?? []).map((m) => m.value)).not.toContain(review.report.scimUserId);
  const token = (scope: string) =>
    fetch(peers.oauth.tokenEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(review.client.clientId)}:${encodeURIComponent(review.client.clientSecret)}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials", scope }),
    });
  const refused = await token("api:write");
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error: string }).error).toBe("invalid_scope");
  expect((await token("api:read")).status).toBe(200);

  // 8. The evidence report lists it all, stamped with the audit chain's head at close.
  await page.goto(`/reviews/${accessId}/report`);
  await expect(page.getByTestId("report-definition")).toContainText("Live grants of active people, in Engineering");
  await expect(page.getByTestId("evidence-stamp")).toContainText("event #");
  await expect(page.getByTestId("report-policy")).toContainText("kept as not reviewed");
  const lines = page.getByTestId("report-line");
  const revoked = lines.filter({ hasText: review.report.name }).filter({ hasText: "App Admins" });
  await expect(revoked).toContainText("Revoke");
  await expect(revoked).toContainText("Maya Patel");
  await expect(revoked).toContainText("verified");
  await expect(lines.filter({ hasText: "no-response policy" }).first()).toBeVisible();
  await expect(lines.filter({ hasText: "restored" }).first()).toBeVisible();
  await shot(page, "review-report.png", 1500);
  await page.goto(`/reviews/${apiId}/report`);
  const reduced = page.getByTestId("report-line").filter({ hasText: review.client.credentialName });
  await expect(reduced).toContainText("keeps api:read");
  await expect(reduced).toContainText("verified");

  // 9. The reviewed person's page keeps the history; schedules suggest the FedRAMP Moderate cadences.
  await page.goto(`/people/${review.report.identityId}`);
  const history = page.getByRole("list", { name: "Review history" });
  await expect(history.getByRole("listitem").filter({ hasText: "App Admins" }).first()).toContainText("Revoke");
  await page.getByRole("region", { name: "Review history" }).or(history).first();
  await page.goto("/reviews/schedules");
  await page.getByRole("button", { name: "Privileged access (quarterly)" }).click();
  await page.getByRole("button", { name: "Create schedule" }).click();
  await expect(page.getByRole("table", { name: "Schedules" })).toContainText("Privileged access (quarterly)");
  await shot(page, "review-schedules.png");

  // 10. A draft is launched from its page.
  await page.goto("/reviews?status=draft");
  await page.getByRole("table", { name: "Review campaigns" }).getByRole("link").first().click();
  await expect(page.getByText("Not launched yet")).toBeVisible();
  await shot(page, "review-draft.png");
  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /^Launched: \d+ items? sent to \d+ reviewers?\.$/ }),
  ).toBeVisible();
  await expect(page.getByRole("table", { name: "Progress by reviewer" })).toBeVisible();
});
