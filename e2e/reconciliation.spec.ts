import { readFileSync } from "node:fs";
import path from "node:path";
import type { ReconPeersFile } from "./support/connect-reconciliation";
import { expect, stateDir, test } from "./support/test";

/**
 * An analyst reconciles a SCIM-connected system from its page (a job on the runner, progress shown) and finds
 * what Lockstep did not know: an account nobody matches, and a leaver's account still active there.
 */
test.use({ persona: "analyst" });
test.setTimeout(120_000);

test("an analyst reconciles Recon App and finds an uncorrelated account and a leaver's live account", async ({
  page,
}) => {
  const recon = JSON.parse(readFileSync(path.join(stateDir(), "recon-peers.json"), "utf8")) as ReconPeersFile;
  await page.goto("/systems");
  await page.getByRole("link", { name: "Reconciliation" }).first().waitFor();
  await page.goto(`/systems/${recon.systemId}/reconciliation`);
  await expect(page.getByRole("heading", { name: "Reconciliation — Recon App (SCIM peer)" })).toBeVisible();
  await page.getByRole("button", { name: "Reconcile now" }).click();

  const runs = page.getByRole("table", { name: "Reconciliation runs" });
  await expect(runs.getByRole("row").nth(1)).toContainText("done", { timeout: 60_000 });
  await expect(runs.getByRole("row").nth(1)).toContainText("3"); // users read

  const uncorrelated = page.getByRole("table", { name: "Uncorrelated accounts" });
  await expect(uncorrelated).toContainText(recon.stranger);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8");
  expect(csv).toContain(recon.stranger);

  await page
    .getByRole("navigation", { name: "Findings" })
    .getByRole("link", { name: "Leavers' live accounts" })
    .click();
  const live = page.getByRole("table", { name: "Leavers' live accounts" });
  await expect(live.getByRole("link", { name: recon.leaverName })).toBeVisible();
  await expect(live.getByRole("link", { name: /^Case #\d+$/ })).toBeVisible();
});
