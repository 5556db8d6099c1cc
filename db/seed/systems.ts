import { systems } from "@/db/schema";
import type { ConnectorConfig } from "@/db/schema/systems";
import { generatedSystems } from "./catalog/generated-systems";
import { FAMILIES } from "./catalog/org";
import { NAMED_SYSTEMS, type SystemDef } from "./catalog/systems";
import {
  analyze,
  chunked,
  daysAgo,
  exec,
  loadTemp,
  rows,
  type SeedCtx,
  say,
  withSecondaryIndexesDeferred,
} from "./context";
import { key2, pick, u } from "./random";

/**
 * Systems (with owners and simulated connectors), their entitlements and API endpoints, then accounts and
 * grants for everyone. Accounts come from an audience table (family × system → probability), grants from
 * each system's entitlement list; both are single INSERT … SELECT statements per chunk.
 */
export function systemCatalog(ctx: SeedCtx): SystemDef[] {
  return [...NAMED_SYSTEMS, ...generatedSystems(ctx.p.generatedSystems)];
}

function connectorConfig(s: SystemDef): ConnectorConfig {
  const env = `LOCKSTEP_${s.slug.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_SECRET`;
  if (s.connector === "scim")
    return { baseUrl: `https://tidewater.${s.slug}.example/scim/v2`, secretEnv: env, timeoutMs: 10_000 };
  if (s.connector === "oauth") {
    const base = `https://api.${s.slug}.example`;
    return {
      baseUrl: base,
      clientId: `lockstep-tidewater-${s.slug}`,
      clientAuth: "client_secret_basic",
      tokenEndpoint: `${base}/oauth2/token`,
      revocationEndpoint: `${base}/oauth2/revoke`,
      introspectionEndpoint: `${base}/oauth2/introspect`,
      secretEnv: env,
      timeoutMs: 10_000,
    };
  }
  if (s.connector === "webhook")
    return { webhookUrl: `https://hooks.${s.slug}.example/tidewater/lockstep`, secretEnv: env, timeoutMs: 15_000 };
  return {};
}

export async function seedSystems(ctx: SeedCtx): Promise<void> {
  const catalog = systemCatalog(ctx);
  await ctx.db.insert(systems).values(
    catalog.map((s, i) => ({
      id: i + 1,
      slug: s.slug,
      name: s.name,
      category: s.category,
      criticality: s.criticality,
      connectorKind: s.connector,
      connectorConfig: connectorConfig(s),
      // There are no real endpoints behind the seed: every automated connector acts on a simulated stand-in.
      connectorSimulated: s.connector !== "manual",
      deprovisionMode: s.deprovision ?? "deactivate",
      maxConcurrency: s.criticality === "critical" ? 8 : 4,
      ownerId: s.owner ? ctx.ids[s.owner] : null,
      description: s.description,
      createdAt: new Date(ctx.now.getTime() - (400 + 3 * i) * 86_400_000),
    })),
  );
  await loadTemp(
    ctx,
    "seed_sys",
    "system_id int, slug text, owner_family text, n_plain int, n_priv int, birthright boolean, user_style text, sessions boolean, admin_accounts boolean, criticality text, connector text, category text",
    catalog.map((s, i) => ({
      system_id: i + 1,
      slug: s.slug,
      owner_family: s.ownerFamily ?? null,
      n_plain: s.entitlements.filter((e) => typeof e === "string").length,
      n_priv: s.entitlements.filter((e) => typeof e !== "string").length,
      birthright: (s.audience.all ?? 0) >= 0.9,
      user_style: s.userStyle ?? "email",
      sessions: s.sessions ?? true,
      admin_accounts: s.adminAccounts ?? false,
      criticality: s.criticality,
      connector: s.connector,
      category: s.category,
    })),
  );
  // Generated systems are owned by a manager of the family that uses them (picked by hash, spread evenly).
  await exec(
    ctx,
    `
    UPDATE systems s SET owner_id = m.id
      FROM seed_sys x
      JOIN (SELECT family, id, row_number() OVER (PARTITION BY family ORDER BY ${u("id", 50)}, id)::int - 1 AS idx,
                   count(*) OVER (PARTITION BY family)::int AS n
              FROM seed_person WHERE is_manager AND status = 'active' AND NOT story) m
        ON m.family = x.owner_family AND m.idx = x.system_id % m.n
     WHERE x.system_id = s.id`,
  );
  say(ctx, `systems: ${catalog.length}`);

  await seedEntitlements(ctx, catalog);
  await seedEndpoints(ctx, catalog);
  await withSecondaryIndexesDeferred(ctx, ["accounts"], () => seedAccounts(ctx, catalog));
  await withSecondaryIndexesDeferred(ctx, ["grants"], () => seedGrants(ctx));
}

async function seedEntitlements(ctx: SeedCtx, catalog: SystemDef[]): Promise<void> {
  const ents: object[] = [];
  catalog.forEach((s, i) => {
    let plain = 0;
    let priv = 0;
    for (const e of s.entitlements) {
      const privileged = typeof e !== "string";
      const name = typeof e === "string" ? e : e[0];
      ents.push({
        id: ents.length + 1,
        system_id: i + 1,
        name,
        privileged,
        ord: privileged ? priv++ : plain++,
        description: privileged
          ? `Privileged: administrative rights on ${s.name}`
          : plain === 1
            ? `Base access to ${s.name}`
            : null,
      });
    }
  });
  await loadTemp(
    ctx,
    "seed_ent",
    "id int, system_id int, name text, privileged boolean, ord int, description text",
    ents,
  );
  await exec(ctx, "CREATE INDEX ON seed_ent (system_id, privileged, ord)");
  await exec(
    ctx,
    `INSERT INTO entitlements (id, system_id, name, description, privileged)
                   SELECT id, system_id, name, description, privileged FROM seed_ent ORDER BY id`,
  );
  say(ctx, `entitlements: ${ents.length}`);
}

async function seedEndpoints(ctx: SeedCtx, catalog: SystemDef[]): Promise<void> {
  const eps = catalog.flatMap((s, i) =>
    (s.endpoints ?? []).map((e) => ({
      system_id: i + 1,
      method: e.method,
      path: e.path,
      scope: e.scope,
      bulk: Boolean(e.bulk),
      max_records: e.bulk ?? 1,
      classes: `{${(e.classes ?? []).join(",")}}`,
      description: e.description ?? null,
    })),
  );
  await loadTemp(
    ctx,
    "seed_endpoint",
    "system_id int, method text, path text, scope text, bulk boolean, max_records int, classes text, description text",
    eps,
  );
  await exec(
    ctx,
    // Each catalog endpoint is reached by its one scope: one set of one.
    `INSERT INTO api_endpoints (system_id, method, path, scope_sets, scope, bulk, max_records_per_call, data_classes, description)
                   SELECT system_id, method::http_method, path, jsonb_build_array(jsonb_build_array(scope)), scope, bulk, max_records,
                          classes::data_class[], description
                     FROM seed_endpoint ORDER BY system_id, path, method`,
  );
  say(ctx, `api endpoints: ${eps.length}`);
}

async function seedAccounts(ctx: SeedCtx, catalog: SystemDef[]): Promise<void> {
  const audience = catalog.flatMap((s, i) =>
    FAMILIES.map((family) => ({ family, system_id: i + 1, p: s.audience[family] ?? s.audience.all ?? 0 })).filter(
      (a) => a.p > 0,
    ),
  );
  await loadTemp(ctx, "seed_audience", "family text, system_id int, p float8", audience);
  // Non-human identities pick 1–3 systems by weight (cumulative ranges for a hash lookup).
  const nhiSystems = catalog.map((s, i) => ({ system_id: i + 1, w: s.nhi ?? 0 })).filter((s) => s.w > 0);
  const totalW = nhiSystems.reduce((a, s) => a + s.w, 0);
  let acc = 0;
  await loadTemp(
    ctx,
    "seed_nhi_sys",
    "system_id int, lo float8, hi float8",
    nhiSystems.map((s, i) => {
      const lo = acc;
      acc += s.w / totalW;
      return { system_id: s.system_id, lo, hi: i === nhiSystems.length - 1 ? 1.0001 : acc };
    }),
  );

  const [{ max }] = await rows<{ max: number }>(ctx, "SELECT max(id)::int AS max FROM seed_person");
  // Days before now at which the person stopped using things (their last day), 0 for current staff.
  const anchor = "greatest(0, -coalesce(p.term_off, 0))";
  const humans = await chunked(ctx, "accounts", 1, max, ctx.p.chunk, (lo, hi) =>
    exec(
      ctx,
      `
    INSERT INTO accounts (system_id, identity_id, username, external_id, status, last_login_at, created_at)
    SELECT a.system_id, p.id,
           CASE s.user_style WHEN 'handle' THEN replace(split_part(i.email, '@', 1), '.', '-') || '-tw'
                             WHEN 'dbuser' THEN replace(split_part(i.email, '@', 1), '.', '_')
                             ELSE i.email END,
           s.slug || ':' || substr(md5(s.system_id || ':' || p.id), 1, 16), 'active',
           CASE WHEN x.ul < 0.05 THEN NULL
                WHEN x.ul < 0.13 THEN ${daysAgo(ctx, `least(x.cd, ${anchor} + 95 + 300 * x.ul2)`)}
                ELSE ${daysAgo(ctx, `least(x.cd, ${anchor} + 30 * power(x.ul2, 3))`)} END,
           ${daysAgo(ctx, "x.cd")}
      FROM seed_person p
      JOIN identities i ON i.id = p.id
      JOIN seed_audience a ON a.family = p.family
      JOIN seed_sys s ON s.system_id = a.system_id
      -- Most accounts are created around the hire date (birthright), the rest later on request.
      CROSS JOIN LATERAL (SELECT ${u(key2("p.id", "a.system_id"), 41)} AS ua, ${u(key2("p.id", "a.system_id"), 42)} AS ul,
                                 ${u(key2("p.id", "a.system_id"), 43)} AS ul2,
                                 p.hire_days - (p.hire_days - ${anchor}) * power(${u(key2("p.id", "a.system_id"), 44)}, 2) AS cd) x
     WHERE p.id BETWEEN ${lo} AND ${hi} AND x.ua < a.p
     ORDER BY p.id, a.system_id`,
    ),
  );
  // Administrators keep a separate admin account where policy asks for one.
  const admin = await exec(
    ctx,
    `
    INSERT INTO accounts (system_id, identity_id, username, external_id, status, last_login_at, created_at)
    SELECT a.system_id, a.identity_id, 'adm-' || split_part(a.username, '@', 1), a.external_id || '-adm', 'active',
           a.last_login_at, a.created_at
      FROM accounts a JOIN seed_person p ON p.id = a.identity_id AND p.admin JOIN seed_sys s ON s.system_id = a.system_id AND s.admin_accounts
     ORDER BY a.id`,
  );
  const nhi = await exec(
    ctx,
    `
    INSERT INTO accounts (system_id, identity_id, username, external_id, status, last_login_at, created_at)
    SELECT DISTINCT ON (n.id, ns.system_id) ns.system_id, n.id,
           CASE s.user_style WHEN 'dbuser' THEN replace(n.display_name, '-', '_')
                             WHEN 'handle' THEN n.display_name || '[bot]'
                             ELSE n.display_name || '@svc.tidewater.example' END,
           s.slug || ':' || substr(md5(s.system_id || ':' || n.id), 1, 16), 'active',
           ${daysAgo(ctx, `5 * power(${u(key2("n.id", "ns.system_id"), 46)}, 2)`)}, n.created_at
      FROM identities n
      CROSS JOIN LATERAL generate_series(0, ${pick("n.id", 45, 3)}) k
      JOIN seed_nhi_sys ns ON ${u(key2("n.id", "k"), 47)} >= ns.lo AND ${u(key2("n.id", "k"), 47)} < ns.hi
      JOIN seed_sys s ON s.system_id = ns.system_id
     WHERE n.kind <> 'human'
     ORDER BY n.id, ns.system_id`,
  );
  say(ctx, `accounts: ${humans.toLocaleString("en-US")} people + ${admin} admin + ${nhi} non-human`);
  await analyze(ctx, "accounts", "systems", "entitlements", "api_endpoints");
}

async function seedGrants(ctx: SeedCtx): Promise<void> {
  const [{ max }] = await rows<{ max: number }>(ctx, "SELECT max(id)::int AS max FROM accounts");
  const grantedAt = (f: string) => `date_trunc('second', x.created_at + (${ctx.NOW} - x.created_at) * ${f})`;
  // The base entitlement (ord 0) plus up to three distinct others: a random start, then consecutive ordinals.
  const plain = await chunked(ctx, "grants", 1, max, ctx.p.chunk * 10, (lo, hi) =>
    exec(
      ctx,
      `
    INSERT INTO grants (account_id, entitlement_id, source, granted_at, expires_at, last_used_at, revoked_at)
    SELECT x.id, e.id,
           CASE WHEN x.slot = 0 AND x.birthright THEN 'birthright' WHEN x.ug < 0.15 THEN 'review' ELSE 'request' END::grant_source,
           ${grantedAt("x.ug2")},
           CASE WHEN x.slot > 0 AND x.ug < 0.03 THEN ${daysAgo(ctx, "-(1 + 60 * x.ug3)")} END,
           CASE WHEN x.ug3 < 0.10 OR x.last_login_at IS NULL THEN NULL
                WHEN x.ug3 < 0.22 THEN greatest(${grantedAt("0.1")}, x.last_login_at - (95 + 200 * x.ug2) * interval '1 day')
                ELSE x.last_login_at - date_trunc('second', 3 * x.ug2 * interval '1 day') END,
           CASE WHEN x.slot > 0 AND x.ug > 0.97 THEN ${grantedAt("(0.5 + x.ug2 / 2)")} END
      FROM (
        SELECT a.id, a.created_at, a.last_login_at, a.system_id, s.birthright, s.n_plain, g AS slot,
               ${pick("a.id", 51, "greatest(s.n_plain - 1, 1)")} AS start,
               ${u(key2("a.id", "g"), 52)} AS ug, ${u(key2("a.id", "g"), 53)} AS ug2, ${u(key2("a.id", "g"), 54)} AS ug3
          FROM accounts a JOIN seed_sys s ON s.system_id = a.system_id
          CROSS JOIN LATERAL generate_series(0, least(s.n_plain - 1, ${pick("a.id", 50, 5)})) g
         WHERE a.id BETWEEN ${lo} AND ${hi}
      ) x
      JOIN seed_ent e ON e.system_id = x.system_id AND NOT e.privileged
                     AND e.ord = CASE WHEN x.slot = 0 THEN 0 ELSE 1 + (x.start + x.slot - 1) % greatest(x.n_plain - 1, 1) END
     ORDER BY x.id, x.slot`,
    ),
  );
  // Privileged grants: every admin account, some admins' normal accounts, a few others (more in technical
  // families and among managers), and one in eight service accounts (the classic over-privileged bot).
  const privileged = await exec(
    ctx,
    `
    INSERT INTO grants (account_id, entitlement_id, source, granted_at, expires_at, last_used_at)
    SELECT x.id, e.id, 'request',
           ${grantedAt("x.u2")},
           CASE WHEN x.u3 < 0.2 THEN ${daysAgo(ctx, "-(1 + 14 * x.u2)")} END,
           CASE WHEN x.u3 > 0.85 THEN NULL ELSE x.last_login_at - date_trunc('second', 20 * x.u2 * interval '1 day') END
      FROM (
        SELECT a.id, a.created_at, a.last_login_at, a.system_id, s.n_priv,
               ${u("a.id", 56)} AS u2, ${u("a.id", 57)} AS u3,
               CASE WHEN a.username LIKE 'adm-%' THEN 1.0
                    WHEN i.kind <> 'human' THEN 0.12
                    WHEN p.admin THEN 0.15
                    ELSE (CASE p.family WHEN 'engineering' THEN 0.012 WHEN 'security' THEN 0.03 WHEN 'it' THEN 0.03
                                        WHEN 'data' THEN 0.012 WHEN 'finance' THEN 0.008 WHEN 'leadership' THEN 0.02 ELSE 0.003 END)
                         * (CASE WHEN p.is_manager THEN 2 ELSE 1 END)
               END AS prob
          FROM accounts a
          JOIN seed_sys s ON s.system_id = a.system_id AND s.n_priv > 0
          JOIN identities i ON i.id = a.identity_id
          LEFT JOIN seed_person p ON p.id = a.identity_id
      ) x
      JOIN seed_ent e ON e.system_id = x.system_id AND e.privileged AND e.ord = ${pick("x.id", 58, "x.n_priv")}
     WHERE ${u("x.id", 55)} < x.prob
     ORDER BY x.id`,
  );
  say(ctx, `grants: ${plain.toLocaleString("en-US")} + ${privileged.toLocaleString("en-US")} privileged`);
  await analyze(ctx, "grants");
}
