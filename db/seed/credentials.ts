import { credentialScopeUsage, credentials } from "@/db/schema";
import { GENERATED_API_WEIGHT, HUMAN_POOLS, HUMAN_RATE, NHI_POOLS, type PoolEntry } from "./catalog/credential-pools";
import { STORY_CREDENTIALS } from "./catalog/story-credentials";
import { STORY_NHIS } from "./catalog/story-people";
import { analyze, daysAgo, exec, loadTemp, rows, type SeedCtx, say } from "./context";
import { key2, pick, u } from "./random";
import { systemCatalog } from "./systems";

/**
 * API tokens, PATs, OAuth clients and grants, service-account and SSH keys, with their scopes (a run of the
 * issuer's endpoint scopes, so blast radius is computable) and, where the issuer reports it, the last use of
 * each scope. A share is stale (unused > 90 days), never rotated, or holds scopes it never uses; NHIs owned
 * by leavers make the orphans.
 */
export async function seedCredentials(ctx: SeedCtx): Promise<void> {
  const catalog = systemCatalog(ctx);
  const sysId = new Map(catalog.map((s, i) => [s.slug, i + 1]));
  await insertStoryCredentials(ctx, sysId);

  // Scope lists per issuer, in endpoint order, deduplicated.
  const scopes = catalog.flatMap((s, i) =>
    [...new Set((s.endpoints ?? []).map((e) => e.scope))].map((scope, idx, all) => ({
      system_id: i + 1,
      idx,
      n: all.length,
      scope,
    })),
  );
  await loadTemp(ctx, "seed_scope", "system_id int, idx int, n int, scope text", scopes);
  await exec(ctx, "CREATE INDEX ON seed_scope (system_id)");

  // Pools: cumulative weight ranges per family (people) or kind (non-human identities).
  const generatedApis = catalog.flatMap((s, i) => (i >= 40 && s.category === "api_gateway" ? [s.slug] : []));
  const pools: Record<string, readonly PoolEntry[]> = { ...HUMAN_POOLS, ...NHI_POOLS };
  const extend = (pool: string, kind: PoolEntry[1], w: number) =>
    (pools[pool] = [...pools[pool], ...generatedApis.map((slug) => [slug, kind, w] as const)]);
  extend("engineering", "api_key", GENERATED_API_WEIGHT.engineering);
  extend("data", "api_key", GENERATED_API_WEIGHT.data);
  extend("service_account", "api_key", GENERATED_API_WEIGHT.service_account);
  extend("api_client", "oauth_client", GENERATED_API_WEIGHT.api_client);
  const poolRows = Object.entries(pools).flatMap(([pool, entries]) => {
    const total = entries.reduce((a, e) => a + e[2], 0);
    let acc = 0;
    return entries.map(([slug, kind, w], i) => {
      const lo = acc;
      acc += w / total;
      return { pool, lo, hi: i === entries.length - 1 ? 1.0001 : acc, system_id: sysId.get(slug)!, kind };
    });
  });
  await loadTemp(ctx, "seed_cred_pool", "pool text, lo float8, hi float8, system_id int, kind text", poolRows);

  const rate = `CASE p.family ${Object.entries(HUMAN_RATE)
    .map(([f, r]) => `WHEN '${f}' THEN ${r}`)
    .join(" ")} END`;
  const storyNhiMax = Math.max(...STORY_NHIS.map((n) => ctx.ids[n.key]));
  const n = await exec(
    ctx,
    `
    INSERT INTO credentials (kind, name, issuer_system_id, holder_id, owner_id, external_ref, scopes, status, created_at,
                             last_used_at, expires_at, last_rotated_at, revoked_at)
    SELECT c.kind::credential_kind,
           CASE c.kind
             WHEN 'personal_access_token' THEN 'PAT: ' || (ARRAY['laptop', 'scripts', 'release', 'migration', 'local dev', 'backfill'])[1 + c.pl % 6]
             WHEN 'ssh_key' THEN 'ssh-ed25519 ' || c.handle || '@TW-' || (ARRAY['MBP', 'WIN', 'LNX'])[1 + c.pl % 3] || '-' || lpad((c.pl % 1000000)::text, 6, '0')
             WHEN 'oauth_grant' THEN (ARRAY['Zapier', 'Notion AI', 'Slack for Jira', 'Loom', 'Clockwise', 'Gmail add-on', 'Copilot', 'Calendly'])[1 + c.pl % 8] || ' → ' || c.system_name
             WHEN 'oauth_client' THEN c.handle || ' (client credentials)'
             WHEN 'service_account_key' THEN c.handle || '-key-' || c.slot
             ELSE c.handle || ' key' END,
           c.system_id, c.holder, c.owner,
           CASE c.kind WHEN 'personal_access_token' THEN 'ghp_' WHEN 'oauth_grant' THEN 'oag_' WHEN 'ssh_key' THEN 'SHA256:'
                       WHEN 'service_account_key' THEN 'AKIA' ELSE 'key_' END || substr(md5(c.holder || ':' || c.slot || ':' || c.system_id), 1, 20),
           CASE WHEN c.kind = 'ssh_key' THEN '{}'::text[] ELSE ARRAY(
             SELECT sc.scope FROM seed_scope sc
              WHERE sc.system_id = c.system_id AND (sc.idx - c.start + sc.n) % sc.n < c.k ORDER BY sc.idx) END,
           CASE WHEN c.exp_ago > 0 THEN 'expired' WHEN c.us < 0.07 THEN 'revoked' ELSE 'active' END::credential_status,
           ${daysAgo(ctx, "c.age")},
           CASE WHEN c.used_ago IS NOT NULL THEN ${daysAgo(ctx, "greatest(c.used_ago, coalesce(c.exp_ago, 0))")} END,
           CASE WHEN c.exp_ago IS NOT NULL THEN ${daysAgo(ctx, "c.exp_ago")} END,
           CASE WHEN c.kind IN ('api_key', 'service_account_key', 'oauth_client') AND c.ur < 0.5 THEN ${daysAgo(ctx, "c.age * c.ur")} END,
           CASE WHEN c.exp_ago <= 0 AND c.us < 0.07 THEN ${daysAgo(ctx, "coalesce(c.used_ago, c.age) * c.us * 10")} END
      FROM (
        SELECT h.holder, h.owner, h.slot, h.handle, cp.system_id, cp.kind, s.name AS system_name, r.pl, r.us, r.ur,
               ${pick("h.holder * 16 + h.slot", 96, 1000)} AS start, 1 + ${pick("h.holder * 16 + h.slot", 97, 3)} AS k,
               r.age,
               CASE WHEN cp.kind IN ('personal_access_token', 'oauth_grant', 'api_key') AND r.ue < (CASE WHEN cp.kind = 'api_key' THEN 0.2 ELSE 0.5 END)
                    THEN r.age - (30 + 335 * r.ue2) END AS exp_ago,
               CASE WHEN r.ul < 0.05 THEN NULL
                    WHEN r.ul < 0.70 THEN least(r.age, h.anchor + 20 * power(r.ul2, 2))
                    WHEN r.ul < 0.88 THEN least(r.age, h.anchor + 20 + 70 * r.ul2)
                    ELSE least(r.age, h.anchor + 90 + 310 * r.ul2) END AS used_ago
          FROM (
            SELECT p.id AS holder, p.id AS owner, p.family AS pool, slot, greatest(0, -coalesce(p.term_off, 0)) AS anchor, p.hire_days AS max_age,
                   split_part(i.email, '@', 1) AS handle
              FROM seed_person p JOIN identities i ON i.id = p.id
              CROSS JOIN LATERAL generate_series(1, floor(${u("p.id", 90)} * 2 * ${rate} + 0.5)::int) slot
             WHERE NOT p.story
            UNION ALL
            SELECT n.id, n.owner_id, n.kind::text, slot, 0, extract(epoch FROM ${ctx.NOW} - n.created_at) / 86400, n.display_name
              FROM identities n CROSS JOIN LATERAL generate_series(1, 1 + ${pick("n.id", 91, 5)}) slot
             WHERE n.kind <> 'human' AND n.id > ${storyNhiMax}
          ) h
          CROSS JOIN LATERAL (
            SELECT ${u(key2("h.holder", "h.slot"), 92)} AS up, ${pick(key2("h.holder", "h.slot"), 93, 1000000)} AS pl,
                   ${u(key2("h.holder", "h.slot"), 94)} AS us, ${u(key2("h.holder", "h.slot"), 98)} AS ur,
                   ${u(key2("h.holder", "h.slot"), 99)} AS ue, ${u(key2("h.holder", "h.slot"), 100)} AS ue2,
                   ${u(key2("h.holder", "h.slot"), 101)} AS ul, ${u(key2("h.holder", "h.slot"), 102)} AS ul2,
                   h.anchor + 1 + (greatest(h.max_age, h.anchor + 2) - h.anchor - 1) * power(${u(key2("h.holder", "h.slot"), 103)}, 1.5) AS age
            OFFSET 0
          ) r
          JOIN seed_cred_pool cp ON cp.pool = h.pool AND r.up >= cp.lo AND r.up < cp.hi
          JOIN systems s ON s.id = cp.system_id
        -- Not flattened into the outer query, so each random date is computed once per credential.
        OFFSET 0
      ) c
     ORDER BY c.holder, c.slot`,
  );

  const usage = await exec(
    ctx,
    `
    INSERT INTO credential_scope_usage (credential_id, scope, last_used_at)
    SELECT c.id, t.scope,
           CASE WHEN t.ord = 1 THEN c.last_used_at
                ELSE greatest(c.created_at, c.last_used_at - date_trunc('second',
                       CASE WHEN ${u(key2("c.id", "t.ord"), 105)} < 0.35 THEN 95 + 200 * ${u(key2("c.id", "t.ord"), 106)}
                            ELSE 10 * power(${u(key2("c.id", "t.ord"), 106)}, 2) END * interval '1 day')) END
      FROM credentials c CROSS JOIN LATERAL unnest(c.scopes) WITH ORDINALITY AS t(scope, ord)
     WHERE c.last_used_at IS NOT NULL AND c.id > ${STORY_CREDENTIALS.length}
       AND (t.ord = 1 OR ${u(key2("c.id", "t.ord"), 104)} < 0.8)
     ORDER BY c.id, t.ord`,
  );
  await analyze(ctx, "credentials", "credential_scope_usage");
  const [{ orphans }] = await rows<{ orphans: number }>(
    ctx,
    `
    SELECT count(*)::int AS orphans FROM credentials c LEFT JOIN identities o ON o.id = c.owner_id
     WHERE c.status = 'active' AND (o.id IS NULL OR o.status <> 'active')`,
  );
  say(
    ctx,
    `credentials: ${(n + STORY_CREDENTIALS.length).toLocaleString("en-US")} (${orphans} orphaned before leaver processing), scope usage: ${usage.toLocaleString("en-US")}`,
  );
}

async function insertStoryCredentials(ctx: SeedCtx, sysId: Map<string, number>): Promise<void> {
  const at = (days: number | null | undefined) =>
    days === null || days === undefined ? null : new Date(ctx.now.getTime() - Math.round(days * 86_400) * 1000);
  const holders = await rows<{ id: number; owner: number | null; kind: string }>(
    ctx,
    "SELECT id, owner_id AS owner, kind::text FROM identities WHERE id <= 100",
  );
  const ownerOf = (id: number) => {
    const h = holders.find((x) => x.id === id)!;
    return h.kind === "human" ? h.id : h.owner;
  };
  const inserted = await ctx.db
    .insert(credentials)
    .values(
      STORY_CREDENTIALS.map((c) => ({
        kind: c.kind,
        name: c.name,
        issuerSystemId: sysId.get(c.issuer)!,
        holderId: ctx.ids[c.holder],
        ownerId: ownerOf(ctx.ids[c.holder]),
        externalRef: c.ref,
        scopes: c.scopes,
        status: "active" as const,
        createdAt: at(c.createdDaysAgo)!,
        lastUsedAt: at(c.lastUsedDaysAgo),
        expiresAt: c.expiresInDays ? at(-c.expiresInDays) : null,
        lastRotatedAt: at(c.rotatedDaysAgo),
      })),
    )
    .returning({ id: credentials.id });
  const usage = STORY_CREDENTIALS.flatMap((c, i) =>
    Object.entries(c.usage ?? {}).map(([scope, days]) => ({
      credentialId: inserted[i].id,
      scope,
      lastUsedAt: at(days)!,
    })),
  );
  await ctx.db.insert(credentialScopeUsage).values(usage);
}
