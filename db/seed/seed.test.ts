import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { type DbHandle, openPglite } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { col } from "@/db/rows";
import { verifyAuditChain } from "@/lib/audit/verify";
import { rowsOf } from "@/lib/testing/sql";
import { SEED_TABLES, seed } from "./index";

/**
 * The seed is deterministic (same `now` → same rows) and tells the demo story the product relies on.
 * Two fresh in-memory databases are seeded independently and compared table by table.
 */
const NOW = new Date("2026-03-02T09:00:00.000Z");
let a: DbHandle;
let b: DbHandle;

async function seeded(): Promise<DbHandle> {
  const h = await openPglite("memory://");
  await migrateDatabase(h);
  await seed(h.db, { scale: "demo", now: NOW });
  return h;
}

function q<S extends z.ZodRawShape>(h: DbHandle, text: string, shape: S) {
  return rowsOf(h.db, sql.raw(text), shape);
}

async function one<S extends z.ZodRawShape>(h: DbHandle, text: string, shape: S) {
  const [row] = await q(h, text, shape);
  return row;
}

/** An order-independent fingerprint of a whole table: md5 over its rows as text, sorted. */
const FINGERPRINT = { n: col.int, md5: col.text };
const fingerprint = (table: string) =>
  `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS md5 FROM ${table} x`;

beforeAll(async () => {
  a = await seeded();
  b = await seeded();
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe("seed determinism", () => {
  it.each(SEED_TABLES.map((t) => [t]))("%s is identical in two runs with the same now", async (table) => {
    const [x, y] = [await one(a, fingerprint(table), FINGERPRINT), await one(b, fingerprint(table), FINGERPRINT)];
    expect(x).toEqual(y);
  });

  it("fills the tables the product reads", async () => {
    for (const table of [
      "identities",
      "accounts",
      "grants",
      "authenticators",
      "credentials",
      "leaver_cases",
      "remediation_tasks",
      "review_items",
      "audit_events",
      "posture_snapshots",
    ]) {
      expect((await one(a, fingerprint(table), FINGERPRINT)).n, table).toBeGreaterThan(0);
    }
  });
});

describe("seed story", () => {
  it("has the personas first, with their console roles", async () => {
    const rows = await q(
      a,
      `
      SELECT i.id, i.email, string_agg(r.role::text, ',' ORDER BY r.role) AS roles
        FROM identities i JOIN console_roles r ON r.identity_id = i.id
       WHERE i.id <= 10 GROUP BY i.id ORDER BY i.id`,
      { id: col.num, email: col.text, roles: col.text },
    );
    expect(rows.map((r) => [r.email, r.roles])).toEqual([
      ["avery.chen@tidewater.example", "analyst"],
      ["jordan.okafor@tidewater.example", "analyst"],
      ["maya.patel@tidewater.example", "manager"],
      ["luis.romero@tidewater.example", "manager"],
      ["sam.rivera@tidewater.example", "approver"],
      ["noor.haddad@tidewater.example", "approver"],
      ["grace.kim@tidewater.example", "approver"],
      ["elena.rossi@tidewater.example", "executive"],
      ["david.mensah@tidewater.example", "executive"],
      ["priya.nair@tidewater.example", "admin"],
    ]);
    const personas = await one(
      a,
      "SELECT count(*)::int AS n FROM identities WHERE id <= 10 AND status = 'active' AND kind = 'human' AND department_id IS NOT NULL AND manager_id IS NOT NULL",
      { n: col.num },
    );
    expect(personas.n).toBe(10);
  });

  it("gives Maya an Engineering team of eight, one of them a leaver with an open case", async () => {
    const team = await q(
      a,
      `
      SELECT i.status::text AS status, d.name AS dept, c.status::text AS case_status,
             (SELECT count(*)::int FROM identities n WHERE n.owner_id = i.id) AS owns
        FROM identities i JOIN identities m ON m.id = i.manager_id AND m.email = 'maya.patel@tidewater.example'
        JOIN departments d ON d.id = i.department_id LEFT JOIN leaver_cases c ON c.identity_id = i.id`,
      { status: col.text, dept: col.text, case_status: col.textOrNull, owns: col.num },
    );
    expect(team).toHaveLength(8);
    expect(new Set(team.map((t) => t.dept))).toEqual(new Set(["Engineering"]));
    expect(team.filter((t) => t.status === "leaver" && t.case_status === "open")).toHaveLength(1);
    expect(team.filter((t) => t.owns > 0).length).toBeGreaterThanOrEqual(3);
  });

  it("has an orphaned credential reaching a bulk PII endpoint", async () => {
    const row = await one(
      a,
      `
      SELECT count(DISTINCT c.id)::int AS n
        FROM credentials c LEFT JOIN identities o ON o.id = c.owner_id
        JOIN api_endpoints e ON e.system_id = c.issuer_system_id AND api_endpoint_reached(e.scope_sets, c.scopes) AND e.bulk AND 'pii' = ANY(e.data_classes)
       WHERE c.status = 'active' AND (o.id IS NULL OR o.status <> 'active')`,
      { n: col.num },
    );
    expect(row.n).toBeGreaterThanOrEqual(1);
    const lookup = await one(
      a,
      `
      SELECT count(*)::int AS n FROM credentials c JOIN identities o ON o.id = c.owner_id AND o.status = 'leaver'
        JOIN api_endpoints e ON e.system_id = c.issuer_system_id AND api_endpoint_reached(e.scope_sets, c.scopes)
       WHERE c.status = 'active' AND e.method = 'GET' AND e.path = '/users/lookup'`,
      { n: col.num },
    );
    expect(lookup.n).toBeGreaterThanOrEqual(1);
  });

  it("has leaver cases in every state, consistent with their tasks", async () => {
    const states = await q(a, "SELECT DISTINCT status::text AS status FROM leaver_cases ORDER BY 1", {
      status: col.text,
    });
    expect(states.map((s) => s.status)).toEqual(["closed", "in_progress", "open", "reopened"]);
    const closedAllVerified = await one(
      a,
      `
      SELECT count(*)::int AS n FROM leaver_cases c
       WHERE c.status = 'closed' AND c.tasks_total > 0 AND c.tasks_verified = c.tasks_total
         AND NOT EXISTS (SELECT 1 FROM remediation_tasks t WHERE t.case_id = c.id AND t.state <> 'verified')`,
      { n: col.num },
    );
    expect(closedAllVerified.n).toBeGreaterThanOrEqual(1);
    const mixed = await one(
      a,
      `
      SELECT count(*)::int AS n FROM leaver_cases c WHERE c.status = 'in_progress'
         AND EXISTS (SELECT 1 FROM remediation_tasks t WHERE t.case_id = c.id AND t.state = 'verified')
         AND EXISTS (SELECT 1 FROM remediation_tasks t WHERE t.case_id = c.id AND t.state = 'failed')`,
      { n: col.num },
    );
    expect(mixed.n).toBeGreaterThanOrEqual(1);
    const counters = await one(
      a,
      `
      SELECT count(*)::int AS n FROM leaver_cases c
       WHERE c.tasks_total <> (SELECT count(*) FROM remediation_tasks t WHERE t.case_id = c.id)
          OR c.tasks_verified <> (SELECT count(*) FROM remediation_tasks t WHERE t.case_id = c.id AND t.state = 'verified')`,
      { n: col.num },
    );
    expect(counters.n).toBe(0);
  });

  it("has a pending break-glass request with exactly one approval, and an active time-boxed one", async () => {
    const pending = await q(
      a,
      `
      SELECT (SELECT count(*)::int FROM break_glass_approvals x WHERE x.request_id = r.id AND x.decision = 'approve') AS approvals
        FROM break_glass_requests r WHERE r.status = 'pending'`,
      { approvals: col.num },
    );
    expect(pending.some((p) => p.approvals === 1)).toBe(true);
    const active = await one(
      a,
      `
      SELECT count(*)::int AS n FROM break_glass_requests r
        JOIN grants g ON g.entitlement_id = r.entitlement_id AND g.source = 'break_glass' AND g.revoked_at IS NULL AND g.expires_at = r.expires_at
       WHERE r.status = 'active' AND r.expires_at > '${NOW.toISOString()}'`,
      { n: col.num },
    );
    expect(active.n).toBe(1);
    const statuses = await q(a, "SELECT DISTINCT status::text AS status FROM break_glass_requests", {
      status: col.text,
    });
    expect(statuses.map((s) => s.status)).toEqual(expect.arrayContaining(["pending", "active", "denied", "expired"]));
  });

  it("has review campaigns under way with decided and undecided items", async () => {
    const row = await one(
      a,
      `
      SELECT count(i.decision)::int AS decided, (count(*) - count(i.decision))::int AS open
        FROM review_campaigns c JOIN review_items i ON i.campaign_id = c.id WHERE c.status = 'active'`,
      { decided: col.num, open: col.num },
    );
    expect(row.decided).toBeGreaterThan(0);
    expect(row.open).toBeGreaterThan(0);
  });

  it("writes policies, simulated connectors and 180 days of posture history", async () => {
    const sla = await q(a, "SELECT reason::text, anchor::text, minutes FROM sla_policies ORDER BY reason", {
      reason: col.text,
      anchor: col.text,
      minutes: col.num,
    });
    expect(sla).toEqual([
      { reason: "contract_end", anchor: "end_of_last_day", minutes: 0 },
      { reason: "involuntary", anchor: "effective_time", minutes: 60 },
      { reason: "layoff", anchor: "effective_time", minutes: 240 },
      { reason: "voluntary", anchor: "end_of_last_day", minutes: 0 },
    ]);
    const notSimulated = await one(
      a,
      "SELECT count(*)::int AS n FROM systems WHERE connector_kind <> 'manual' AND NOT connector_simulated",
      { n: col.num },
    );
    expect(notSimulated.n).toBe(0);
    const days = await one(a, "SELECT count(DISTINCT day)::int AS n FROM posture_snapshots", { n: col.num });
    expect(days.n).toBe(180);
    const sms = await q(
      a,
      `
      SELECT d.name AS family, avg((p.primary_strength = 2)::int)::float8 AS share
        FROM identity_posture p JOIN departments d ON d.id = p.department_id
       WHERE p.active AND d.name IN ('Sales', 'Engineering') GROUP BY d.name`,
      { family: col.text, share: col.num },
    );
    const share = Object.fromEntries(sms.map((s) => [s.family, s.share]));
    expect(share.Sales).toBeGreaterThan(share.Engineering);
  });

  it("writes an audit history whose hash chain verifies", async () => {
    const result = await verifyAuditChain(a.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(1000);
    const span = await one(
      a,
      "SELECT extract(day FROM max(occurred_at) - min(occurred_at))::int AS days FROM audit_events",
      { days: col.num },
    );
    expect(span.days).toBeGreaterThanOrEqual(80);
  });
});
