import { mkdirSync } from "node:fs";
import path from "node:path";
import { SHOTS } from "./support/screenshots";
import { expect, test } from "./support/test";

mkdirSync(SHOTS, { recursive: true });

test.use({ persona: "admin" });

test("the administrator connects a provisioning client: the token works at /scim/v2 on the real server, then is revoked", async ({
  page,
}) => {
  await page.goto("/systems");
  await page.getByRole("link", { name: "Inbound provisioning (SCIM)" }).click();
  await expect(page.getByRole("heading", { name: "Inbound provisioning (SCIM 2.0)" })).toBeVisible();

  const name = `Entra ID e2e ${Date.now()}`;
  await page.getByLabel("Client name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toContainText(`Token for ${name}`);
  const token = (await shown.locator("code").textContent())!.trim();
  expect(token).toMatch(/^lsp_/);

  // The IdP's first call, straight to the server (no session cookie: the proxy must let it through).
  const config = await page.request.get("/scim/v2/ServiceProviderConfig", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(config.status()).toBe(200);
  expect(config.headers()["content-type"]).toBe("application/scim+json");
  expect((await config.json()).filter).toMatchObject({ supported: true, maxResults: 500 });
  const users = await page.request.get(`/scim/v2/Users?filter=${encodeURIComponent('userName sw "a"')}&count=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect((await users.json()).totalResults).toBeGreaterThan(0);

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("lsp_");
  await expect(row).not.toContainText("Never"); // last use is shown
  await page.screenshot({ path: path.join(SHOTS, "provisioning.png"), fullPage: true });

  // A provisioning token is for SCIM only: the audit checkpoint feed refuses it.
  const feed = await page.request.get("/api/audit/checkpoints/feed", { headers: { authorization: `Bearer ${token}` } });
  expect(feed.status()).toBe(403);

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: `Revoke the token of ${name}` }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Revoked");
  const refused = await page.request.get("/scim/v2/ServiceProviderConfig", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer/);
  expect(await refused.json()).toMatchObject({
    status: "401",
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
  });
});

test("an audit monitor's token reads the checkpoint feed and nothing else; a provisioning token is refused there", async ({
  page,
  baseURL,
}) => {
  await page.goto("/settings/provisioning");
  const name = `Checkpoint poller ${Date.now()}`;
  await page.getByLabel("Monitor name").fill(name);
  await page.getByRole("button", { name: "Create monitor token" }).click();
  const shown = page.getByTestId("new-monitor-token");
  await expect(shown).toContainText(`Token for ${name}`);
  const token = (await shown.locator("code").textContent())!.trim();

  // The monitor is a server with its token and no session (plain fetch: no browser context, no cookies).
  const monitor = (path: string) => fetch(new URL(path, baseURL), { headers: { authorization: `Bearer ${token}` } });
  const feed = await monitor("/api/audit/checkpoints/feed?limit=5");
  expect(feed.status).toBe(200);
  // The journeys run without a signing key: the feed says checkpoints are off rather than pretending.
  expect(await feed.json()).toMatchObject({ enabled: false, checkpoints: [] });
  // Nothing else: not SCIM, not the console's routes.
  expect((await monitor("/scim/v2/ServiceProviderConfig")).status).toBe(403);
  expect((await monitor("/api/audit/checkpoints")).status).toBe(401);
  await page.reload();
  await expect(
    page.getByRole("table", { name: "Audit monitors" }).getByRole("row").filter({ hasText: name }),
  ).toBeVisible();
});
