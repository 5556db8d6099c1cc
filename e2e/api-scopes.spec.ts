import { readFileSync } from "node:fs";
import path from "node:path";
import { introspect } from "@/lib/testing/peers/info";
import type { ApiScopeTokensFile } from "./support/connect-api-scopes";
import { expect, stateDir, test } from "./support/test";

/**
 * The analyst's API-scope journey on the demo seed: from "who can read everything from /users/lookup?" to the
 * orphaned token of a leaver, revoked at the real OAuth server (the harness connects the Customer Lookup API to
 * it) and proven by asking that server; then an OpenAPI import that works and one that fails clearly.
 */
test.use({ persona: "analyst" });
test.setTimeout(120_000);

const tokensFile = (): ApiScopeTokensFile =>
  JSON.parse(readFileSync(path.join(stateDir(), "api-scope-tokens.json"), "utf8"));
const fixture = (name: string) => path.resolve("lib/api-scopes/openapi/fixtures", name);
const LOOKUP_SYNC = "lookup-sync (client credentials)";

test("an analyst finds a leaver's orphaned bulk-read token and revokes it at the OAuth server", async ({ page }) => {
  const { peers, tokens } = tokensFile();
  const lookup = tokens.find((t) => t.name === LOOKUP_SYNC)!;
  expect((await introspect(peers, lookup.token)).active).toBe(true);

  // 1. One click from the endpoint ranking to the orphaned credentials that can call GET /users/lookup.
  await page.goto("/api-scopes/endpoints");
  const ranking = page.getByRole("table", { name: "Endpoints" });
  const row = ranking.getByRole("row").filter({ hasText: "/users/lookup" }).first();
  await expect(row).toContainText("bulk ≤100/call");
  await row.getByRole("link", { name: /orphaned/ }).click();
  await expect(page).toHaveURL(/[?&]endpoint=\d+/);
  await expect(page.getByText("Can call GET /users/lookup on Customer Lookup API")).toBeVisible();
  const list = page.getByRole("table", { name: "API credentials" });
  const token = list.getByRole("row").filter({ hasText: LOOKUP_SYNC });
  await expect(token).toContainText("Ravi Menon (leaver)");
  await expect(token).toContainText("Orphaned");
  await expect(token).toContainText("Bulk PII reach");

  // 2. Its page: why it matters, and who should have answered for it.
  await token.getByRole("link", { name: LOOKUP_SYNC }).click();
  await expect(page.getByRole("heading", { name: LOOKUP_SYNC, level: 1 })).toBeVisible();
  await expect(page.getByRole("list", { name: "Findings" })).toContainText(
    "Its owner is a leaver: nobody answers for it.",
  );
  await expect(page.getByRole("list", { name: "Owner chain" })).toContainText("Ravi Menon");
  await expect(page.getByRole("list", { name: "Owner chain" })).toContainText("Maya Patel");
  await expect(page.getByTestId("scope-users:read")).toContainText("/users/lookup");

  // 3. Revoke through the issuer's connector, as a remediation job. The OAuth server is shared with the leaver
  //    journey, which takes it down on purpose for a while: the task retries with backoff until it holds.
  await page.getByRole("button", { name: "Revoke", exact: true }).click();
  await page.getByLabel("Reason").fill("Orphaned bulk-read token of a leaver");
  await page.getByRole("button", { name: "Request revocation" }).click();
  const notice = page.getByTestId("action-notice");
  await expect(notice).toContainText("Revocation queued at Customer Lookup API");
  const task = page.getByRole("list", { name: "Remediation tasks" }).getByTestId("task-row");
  await expect(task).toContainText("Revoke credential");
  await expect(task).toHaveAttribute("data-task-state", "verified", { timeout: 120_000 });
  await expect(task).toContainText("introspection (RFC 7662): active=false");
  await expect(page.getByText("Revoked", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Usage timeline" })).toContainText("api_scope.revoke");

  // 4. Ask the OAuth server itself.
  expect(await introspect(peers, lookup.token)).toEqual({ active: false });
});

test("a broken OpenAPI document fails with every problem listed; a good one imports after its preview", async ({
  page,
}) => {
  await page.goto("/api-scopes/import");
  const system = page.getByLabel("System");
  const value = await system.locator("option", { hasText: "Customer Lookup API" }).getAttribute("value");
  await system.selectOption(value!);

  await page.getByLabel("OpenAPI file").setInputFiles(fixture("broken.yaml"));
  await page.getByRole("button", { name: "Preview changes" }).click();
  const problems = page.getByRole("list", { name: "Problems in the document" });
  await expect(page.getByText("The document could not be read (6 problems)")).toBeVisible();
  await expect(problems).toContainText(
    '#/paths/~1users/get/security/0/partner_keyUnknown security scheme "partner_key"',
  );
  await expect(problems).toContainText(
    "#/paths/~1users/get/responses/200/content/application~1json/schema/$refCannot resolve #/components/schemas/Userz.",
  );
  await expect(problems).toContainText('#/paths/users~1{id}A path must start with "/".');
  await expect(page.getByRole("button", { name: "Import", exact: true })).toHaveCount(0);

  await page.getByLabel("OpenAPI file").setInputFiles(fixture("customer-lookup.yaml"));
  await page.getByRole("button", { name: "Preview changes" }).click();
  const changes = page.getByRole("table", { name: "Endpoints to import" });
  await expect(changes.getByRole("row").filter({ hasText: "/users/search" })).toContainText("new");
  await expect(changes.getByRole("row").filter({ hasText: "/users/search" })).toContainText("bulk ≤500");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported into Customer Lookup API" })).toContainText(
    "2 added, 2 updated, 0 removed, 2 unchanged.",
  );
  await page.getByRole("link", { name: "See the endpoints" }).click();
  await expect(page.getByRole("table", { name: "Endpoints" })).toContainText("/users/search");
});

test.describe("as a manager", () => {
  test.use({ persona: "manager" });

  test("Maya sees her team's credentials, read-only, and cannot import", async ({ page }) => {
    await page.goto("/api-scopes");
    await expect(page.getByText("Tokens, keys and OAuth clients your team holds or answers for")).toBeVisible();
    await expect(page.getByRole("table", { name: "API credentials" })).toContainText("ci-deploy-bot");
    await expect(page.getByRole("link", { name: "OpenAPI import" })).toHaveCount(0);
    await page.getByRole("table", { name: "API credentials" }).getByRole("link").first().click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);
    expect((await page.goto("/api-scopes/import"))?.status()).toBe(403);
    await expect(page.getByText("403 · Forbidden")).toBeVisible();
  });
});
