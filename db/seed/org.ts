import { consoleRoles, departments } from "@/db/schema";
import { namePools, slug } from "./catalog/names";
import { DEPARTMENTS, DIVISIONS, type Family, LOCATIONS, TITLES } from "./catalog/org";
import { DEPARTMENT_HEADS, EMAIL_DOMAIN, LAYOFF_DAYS_AGO, STORY_NHIS, STORY_PEOPLE } from "./catalog/story-people";
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
import { lit, pick, prng, u, weighted } from "./random";

/**
 * Departments, people and non-human identities. Story people take the first ids; generated people fill each
 * leaf department (a department at demo scale, a team at large scale) as a management tree with at most
 * eight reports per manager, rooted at the department head. Everything later joins `seed_person`, a temp
 * table with the per-person facts the other steps need (family, manager, admin, leaver dates).
 */
type DeptRow = {
  id: number;
  name: string;
  code: string;
  parentId: number | null;
  family: Family;
  leaf: boolean;
  head: string | null;
};

function buildDepartments(teams: boolean): DeptRow[] {
  const out: DeptRow[] = [];
  for (const d of DIVISIONS)
    out.push({
      id: out.length + 1,
      name: d.name,
      code: d.code,
      parentId: null,
      family: "leadership",
      leaf: false,
      head: null,
    });
  const divisionId = (code: string) => out.find((d) => d.code === code)!.id;
  for (const d of DEPARTMENTS) {
    out.push({
      id: out.length + 1,
      name: d.name,
      code: d.code,
      parentId: divisionId(d.division),
      family: d.family,
      leaf: !teams,
      head: DEPARTMENT_HEADS[d.code],
    });
  }
  if (teams) {
    for (const d of DEPARTMENTS) {
      const parent = out.find((x) => x.code === d.code)!;
      for (const [i, t] of d.teams.entries())
        out.push({
          id: out.length + 1,
          name: `${d.name} — ${t}`,
          code: `${d.code}-${String(i + 1).padStart(2, "0")}`,
          parentId: parent.id,
          family: d.family,
          leaf: true,
          head: parent.head,
        });
    }
  }
  return out;
}

/** Largest-remainder split of `total` by weights: exact, deterministic. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) out[order[k][1]]++;
  return out;
}

export async function seedOrg(ctx: SeedCtx): Promise<void> {
  const depts = buildDepartments(ctx.p.teams);
  await ctx.db.insert(departments).values(depts.map(({ id, name, code, parentId }) => ({ id, name, code, parentId })));
  await loadTemp(
    ctx,
    "seed_dept",
    "id int, code text, family text, leaf boolean",
    depts.map(({ id, code, family, leaf }) => ({ id, code, family, leaf })),
  );
  ctx.ids = Object.fromEntries(STORY_PEOPLE.map((p, i) => [p.key, i + 1]));
  for (const [i, n] of STORY_NHIS.entries()) ctx.ids[n.key] = STORY_PEOPLE.length + i + 1;
  say(ctx, `departments: ${depts.length}`);

  await exec(
    ctx,
    `CREATE TEMP TABLE seed_person (
      id int PRIMARY KEY, dept_id int, family text, manager_id int, is_manager boolean, status text, display_name text,
      slug text, employment text, title text, location text, hire_days float8, term_off float8, story boolean, admin boolean
    ) ON COMMIT DROP`,
  );
  await insertStoryPeople(ctx, depts);
  const firstGenerated = STORY_PEOPLE.length + STORY_NHIS.length + 1;
  const lastHuman = await insertGeneratedPeople(ctx, depts, firstGenerated);
  await exec(ctx, "ANALYZE seed_person");

  await withSecondaryIndexesDeferred(ctx, ["identities"], async () => {
    const humans = await chunked(ctx, "people", 1, lastHuman, ctx.p.chunk * 5, (lo, hi) =>
      insertIdentities(ctx, lo, hi),
    );
    say(ctx, `identities (human): ${humans.toLocaleString("en-US")}`);
    const nhis = await insertNhis(ctx, lastHuman + 1);
    say(ctx, `identities (non-human): ${nhis.toLocaleString("en-US")}`);
  });
  await analyze(ctx, "identities", "departments");
  await insertConsoleRoles(ctx);
}

async function insertStoryPeople(ctx: SeedCtx, depts: DeptRow[]): Promise<void> {
  const hasReports = new Set(STORY_PEOPLE.map((p) => p.manager).filter(Boolean));
  const heads = new Set(Object.values(DEPARTMENT_HEADS));
  const termOff: Record<string, number> = { ravi: -0.12, chloe: 0, paula: -LAYOFF_DAYS_AGO, ingrid: -20, kofi: -15 };
  const admins = new Set(["priya", "noor", "sam", "grace", "ken", "carlos", "daniel", "aisha", "ravi"]);
  const data = STORY_PEOPLE.map((p, i) => {
    const dept = depts.find((d) => d.code === p.dept)!;
    return {
      id: i + 1,
      dept_id: dept.id,
      family: dept.family,
      manager_id: p.manager ? ctx.ids[p.manager] : null,
      is_manager: hasReports.has(p.key) || heads.has(p.key),
      status: p.status ?? "active",
      display_name: `${p.first} ${p.last}`,
      slug: `${slug(p.first)}.${slug(p.last)}`,
      employment: p.employment ?? "employee",
      title: p.title,
      location: p.location,
      hire_days: Math.round(p.hiredYearsAgo * 365),
      term_off: termOff[p.key] ?? null,
      story: true,
      admin: admins.has(p.key),
    };
  });
  await loadTemp(
    ctx,
    "seed_story_person",
    "id int, dept_id int, family text, manager_id int, is_manager boolean, status text, display_name text, slug text, employment text, title text, location text, hire_days float8, term_off float8, story boolean, admin boolean",
    data,
  );
  await exec(ctx, "INSERT INTO seed_person SELECT * FROM seed_story_person");
}

async function insertGeneratedPeople(ctx: SeedCtx, depts: DeptRow[], firstId: number): Promise<number> {
  const generated = ctx.p.humans - STORY_PEOPLE.length;
  const rnd = prng(7);
  const perDept = split(
    generated,
    DEPARTMENTS.map((d) => d.weight),
  );
  const blocks: { dept_id: number; family: string; head_id: number; start_id: number; size: number }[] = [];
  let next = firstId;
  DEPARTMENTS.forEach((d, i) => {
    const leaves = depts.filter((x) => x.leaf && (x.code === d.code || x.code.startsWith(`${d.code}-`)));
    const sizes = split(
      perDept[i],
      leaves.map(() => 0.6 + rnd() * 0.8),
    );
    leaves.forEach((leaf, j) => {
      blocks.push({
        dept_id: leaf.id,
        family: d.family,
        head_id: ctx.ids[DEPARTMENT_HEADS[d.code]],
        start_id: next,
        size: sizes[j],
      });
      next += sizes[j];
    });
  });
  await loadTemp(
    ctx,
    "seed_blocks",
    "dept_id int, family text, head_id int, start_id int, size int",
    blocks.filter((b) => b.size > 0),
  );

  const pools = namePools();
  const total = pools.reduce((s, p) => s + p.weight, 0);
  let acc = 0;
  await loadTemp(
    ctx,
    "seed_loc",
    "loc int, lo float8, hi float8, nfirst int, nlast int",
    pools.map((p, loc) => {
      const lo = acc;
      acc += p.weight / total;
      return { loc, lo, hi: loc === pools.length - 1 ? 1.0001 : acc, nfirst: p.first.length, nlast: p.last.length };
    }),
  );
  await loadTemp(
    ctx,
    "seed_first",
    "loc int, idx int, name text, slug text",
    pools.flatMap((p, loc) => p.first.map((name, idx) => ({ loc, idx, name, slug: slug(name) }))),
  );
  await loadTemp(
    ctx,
    "seed_last",
    "loc int, idx int, name text, slug text",
    pools.flatMap((p, loc) => p.last.map((name, idx) => ({ loc, idx, name, slug: slug(name) }))),
  );
  await loadTemp(
    ctx,
    "seed_title",
    "family text, mgr boolean, idx int, n int, title text",
    Object.entries(TITLES).flatMap(([family, t]) => [
      ...t.ic.map((title, idx) => ({ family, mgr: false, idx, n: t.ic.length, title })),
      ...t.mgr.map((title, idx) => ({ family, mgr: true, idx, n: t.mgr.length, title })),
    ]),
  );

  const employment = (f: string) =>
    f === "facilities" || f === "support"
      ? weighted("g.ue", [
          ["employee", 72],
          ["contractor", 18],
          ["vendor", 8],
          ["intern", 2],
        ])
      : weighted("g.ue", [
          ["employee", 88],
          ["contractor", 8],
          ["intern", 3],
          ["vendor", 1],
        ]);
  // Leavers are leaf employees (nobody reports to them); Support is mid-layoff, so it has more.
  const leaverRate = `CASE g.family WHEN 'support' THEN 0.06 ELSE 0.016 END`;
  await exec(
    ctx,
    `
    INSERT INTO seed_person
    SELECT g.id, g.dept_id, g.family,
           CASE WHEN g.r = 0 THEN g.head_id ELSE g.start_id + (g.r - 1) / 8 END,
           g.is_manager,
           CASE WHEN g.is_manager THEN 'active' WHEN g.ul < ${leaverRate} THEN 'leaver'
                WHEN g.ul < ${leaverRate} + 0.03 THEN 'disabled' ELSE 'active' END,
           f.name || ' ' || l.name, f.slug || '.' || l.slug,
           CASE WHEN g.is_manager THEN 'employee'
                ${["facilities", "support"].map((f) => `WHEN g.family = '${f}' THEN ${employment(f)}`).join(" ")} ELSE ${employment("x")} END,
           t.title,
           ${weighted("g.uloc2", LOCATIONS)},
           20 + 3650 * power(g.uh, 1.2),
           CASE WHEN g.is_manager THEN NULL
                WHEN g.ul < ${leaverRate} THEN CASE WHEN g.family = 'support' AND g.ul < 0.05 THEN -${LAYOFF_DAYS_AGO} ELSE -3 + 10 * g.ut END
                WHEN g.ul < ${leaverRate} + 0.03 THEN CASE WHEN g.ut < 0.75 THEN -(3 + 84 * g.ut / 0.75) ELSE -(90 + 500 * (g.ut - 0.75) / 0.25) END
           END,
           false,
           (g.family IN ('it', 'security') AND g.ua < 0.25) OR (g.family = 'engineering' AND g.ua < 0.04)
      FROM (
        SELECT b.dept_id, b.family, b.head_id, b.start_id, b.size, r, b.start_id + r AS id,
               r * 8 + 1 < b.size AS is_manager,
               ${u("b.start_id + r", 11)} AS ul, ${u("b.start_id + r", 1)} AS uloc, ${u("b.start_id + r", 12)} AS ue,
               ${u("b.start_id + r", 13)} AS uloc2, ${u("b.start_id + r", 14)} AS uh, ${u("b.start_id + r", 15)} AS ut,
               ${u("b.start_id + r", 16)} AS ua
          FROM seed_blocks b, generate_series(0, b.size - 1) AS r
      ) g
      JOIN seed_loc lc ON g.uloc >= lc.lo AND g.uloc < lc.hi
      JOIN seed_first f ON f.loc = lc.loc AND f.idx = ${pick("g.id", 2, "lc.nfirst")}
      JOIN seed_last l ON l.loc = lc.loc AND l.idx = ${pick("g.id", 3, "lc.nlast")}
      JOIN seed_title t ON t.family = g.family AND t.mgr = g.is_manager AND t.idx = ${pick("g.id", 4, "t.n")}`,
  );
  // A leaver's hire date precedes their last day by at least a month.
  await exec(
    ctx,
    `UPDATE seed_person SET hire_days = greatest(hire_days, -term_off + 30 + 400 * ${u("id", 17)}) WHERE term_off IS NOT NULL AND NOT story`,
  );
  return next - 1;
}

async function insertIdentities(ctx: SeedCtx, lo: number, hi: number): Promise<number> {
  // Email dedup needs the whole population's order, so number duplicates over all of seed_person.
  const day = (expr: string) => `(${daysAgo(ctx, expr)} AT TIME ZONE 'UTC')::date`;
  return exec(
    ctx,
    `
    INSERT INTO identities (id, kind, display_name, email, employee_number, department_id, manager_id, employment_type,
                            status, title, location, hire_date, termination_date, created_at, updated_at)
    SELECT p.id, 'human', p.display_name,
           p.slug || CASE WHEN p.dup > 1 THEN p.dup::text ELSE '' END || '@${EMAIL_DOMAIN}',
           CASE WHEN p.employment IN ('contractor', 'vendor') THEN 'C' ELSE 'E' END
             || CASE WHEN p.id + 100 < 100000 THEN lpad((p.id + 100)::text, 5, '0') ELSE (p.id + 100)::text END,
           p.dept_id, p.manager_id, p.employment::employment_type, p.status::identity_status, p.title, p.location,
           ${day("p.hire_days")}, CASE WHEN p.term_off IS NOT NULL THEN ${day("-p.term_off")} END,
           ${daysAgo(ctx, "p.hire_days + 7")},
           CASE WHEN p.term_off IS NOT NULL AND p.term_off < 0 THEN ${daysAgo(ctx, "-p.term_off")} ELSE ${daysAgo(ctx, `least(p.hire_days, 30 + 300 * ${u("p.id", 18)})`)} END
      FROM (SELECT sp.*, row_number() OVER (PARTITION BY sp.slug ORDER BY sp.id) AS dup FROM seed_person sp) p
     WHERE p.id BETWEEN ${lo} AND ${hi}
     ORDER BY p.id`,
  );
}

const NHI_DOMAINS = [
  "billing",
  "payments",
  "orders",
  "inventory",
  "shipping",
  "catalog",
  "pricing",
  "loyalty",
  "notifications",
  "search",
  "reco",
  "fraud",
  "ledger",
  "invoicing",
  "subscriptions",
  "returns",
  "accounts",
  "profiles",
  "reviews",
  "promotions",
  "tax",
  "partners",
  "reporting",
  "warehouse",
  "crm",
  "support",
  "marketing",
  "hr",
  "finance",
  "security",
];
const NHI_PURPOSES: Record<string, string[]> = {
  service_account: [
    "sync",
    "etl",
    "backup",
    "deploy",
    "export",
    "import",
    "reconcile",
    "scheduler",
    "monitor",
    "migrate",
  ],
  api_client: ["partner", "mobile", "web", "webhook", "integration", "reporting", "bi", "status"],
  ai_agent: ["triage", "summarizer", "copilot", "classifier", "assistant", "researcher"],
};

async function insertNhis(ctx: SeedCtx, firstId: number): Promise<number> {
  // Story NHIs (fixed names and owners) first, then the generated ones after the last person.
  const story = STORY_NHIS.map((n) => ({
    id: ctx.ids[n.key],
    kind: n.kind,
    name: n.name,
    owner: n.owner ? ctx.ids[n.owner] : null,
    dept: n.dept,
    title: n.title,
  }));
  await loadTemp(ctx, "seed_story_nhi", "id int, kind text, name text, owner int, dept text, title text", story);
  await exec(
    ctx,
    `
    INSERT INTO identities (id, kind, display_name, department_id, owner_id, status, title, created_at, updated_at)
    SELECT n.id, n.kind::identity_kind, n.name, d.id, n.owner, 'active', n.title, ${daysAgo(ctx, "400 + 30 * n.id")}, ${daysAgo(ctx, "60")}
      FROM seed_story_nhi n JOIN departments d ON d.code = n.dept ORDER BY n.id`,
  );

  const count = Math.round(ctx.p.humans * ctx.p.nhiPerHuman);
  // Owners: mostly people in technical departments, never story people (the story owns its own bots).
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_owner_pool ON COMMIT DROP AS
    SELECT row_number() OVER (PARTITION BY family IN ('engineering', 'data', 'it', 'security') ORDER BY id)::int - 1 AS idx,
           family IN ('engineering', 'data', 'it', 'security') AS tech, id, dept_id
      FROM seed_person WHERE NOT story`,
  );
  const [sizes] = await rows<{ tech: number; other: number }>(
    ctx,
    `SELECT count(*) FILTER (WHERE tech)::int AS tech, count(*) FILTER (WHERE NOT tech)::int AS other FROM seed_owner_pool`,
  );
  const purpose = (kind: string) =>
    `(ARRAY[${NHI_PURPOSES[kind].map(lit).join(",")}])[1 + ${pick("k.id", 33, NHI_PURPOSES[kind].length)}]`;
  const n = await exec(
    ctx,
    `
    INSERT INTO identities (id, kind, display_name, department_id, owner_id, status, title, created_at, updated_at)
    SELECT g.id, g.kind::identity_kind,
           g.base || CASE WHEN row_number() OVER (PARTITION BY g.base ORDER BY g.id) > 1
                          THEN '-' || row_number() OVER (PARTITION BY g.base ORDER BY g.id) ELSE '' END,
           o.dept_id, CASE WHEN g.uo < 0.02 THEN NULL ELSE o.id END,
           CASE WHEN g.us < 0.04 THEN 'disabled' ELSE 'active' END::identity_status,
           CASE g.kind WHEN 'service_account' THEN 'Service account' WHEN 'api_client' THEN 'API client' ELSE 'AI agent' END,
           ${daysAgo(ctx, "30 + 1500 * g.uc")}, ${daysAgo(ctx, "20 * g.uc")}
      FROM (
        SELECT k.id, k.kind, k.uo, k.us, k.uc, k.tech,
               CASE k.kind
                 WHEN 'service_account' THEN 'svc-' || k.domain || '-' || ${purpose("service_account")}
                 WHEN 'api_client' THEN k.domain || '-' || ${purpose("api_client")} || '-client'
                 ELSE 'ai-' || k.domain || '-' || ${purpose("ai_agent")}
               END AS base
          FROM (
            SELECT s.id, ${weighted("s.uk", [
              ["service_account", 50],
              ["api_client", 32],
              ["ai_agent", 18],
            ])} AS kind,
                   (ARRAY[${NHI_DOMAINS.map(lit).join(",")}])[1 + ${pick("s.id", 32, NHI_DOMAINS.length)}] AS domain,
                   ${u("s.id", 34)} AS uo, ${u("s.id", 35)} AS us, ${u("s.id", 36)} AS uc, ${u("s.id", 37)} < 0.85 AS tech
              FROM (SELECT id, ${u("id", 31)} AS uk FROM generate_series(${firstId}, ${firstId + count - 1}) AS id) s
          ) k
      ) g
      JOIN seed_owner_pool o ON o.tech = g.tech
                            AND o.idx = ${pick("g.id", 38, `CASE WHEN g.tech THEN ${sizes.tech} ELSE ${sizes.other} END`)}
     ORDER BY g.id`,
  );
  return n + story.length;
}

async function insertConsoleRoles(ctx: SeedCtx): Promise<void> {
  const grantedAt = new Date(ctx.now.getTime() - 120 * 86_400_000);
  const personaRoles = STORY_PEOPLE.flatMap((p) =>
    (p.roles ?? []).map((role) => ({
      identityId: ctx.ids[p.key],
      role,
      grantedById: p.key === "priya" ? null : ctx.ids.priya,
      grantedAt,
    })),
  );
  await ctx.db.insert(consoleRoles).values(personaRoles);
  // Every other active person with direct reports decides their team's access reviews.
  const n = await exec(
    ctx,
    `
    INSERT INTO console_roles (identity_id, role, granted_by_id, granted_at)
    SELECT m.id, 'manager', ${ctx.ids.priya}, ${daysAgo(ctx, `90 + ${pick("m.id", 39, 60)}`)}
      FROM identities m
     WHERE m.kind = 'human' AND m.status = 'active' AND m.id NOT IN (${[...new Set(personaRoles.map((r) => r.identityId))].join(",")})
       AND EXISTS (SELECT 1 FROM identities r WHERE r.manager_id = m.id)
     ORDER BY m.id`,
  );
  say(ctx, `console roles: ${personaRoles.length} personas + ${n} managers`);
}
