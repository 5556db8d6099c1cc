import { sql } from "drizzle-orm";
import { type ChainedEvent, GENESIS_HASH, hashEvent, toJsonValue } from "@/lib/audit/chain";
import { exec, rows, type SeedCtx, say } from "./context";
import { SETTINGS_DEFAULTS, SLA_DEFAULTS } from "./policies";
import { key2, u } from "./random";

/**
 * The last 90 days of audit history, derived from the rows the other steps wrote (cases and their tasks,
 * review decisions, break-glass decisions, factor enrolments, revocations) plus console sign-ins. Events are
 * sorted by time, hash-chained in TypeScript with the product's own `hashEvent`, and appended in id order.
 */
type Ev = Omit<ChainedEvent, "occurredAt"> & { at: number; seq: number };

const WINDOW_DAYS = 90;
const SYSTEM = { actorId: null, actorLabel: "system" };

export async function seedAudit(ctx: SeedCtx): Promise<void> {
  const now = ctx.now.getTime();
  const from = now - WINDOW_DAYS * 86_400_000;
  const windowSql = `(${ctx.NOW} - interval '${WINDOW_DAYS} days')`;
  const ms = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;
  const events: Ev[] = [];
  let seq = 0;
  const push = (
    e: Omit<Ev, "seq" | "before" | "after" | "metadata" | "targetLabel"> &
      Partial<Pick<Ev, "before" | "after" | "metadata" | "targetLabel">>,
  ) => {
    if (e.at < from || e.at > now) return;
    events.push({ targetLabel: null, before: null, after: null, metadata: null, ...e, seq: seq++ });
  };
  const names = new Map(
    (
      await rows<{ id: number; name: string }>(
        ctx,
        "SELECT id, display_name AS name FROM identities WHERE kind = 'human' AND id IN (SELECT identity_id FROM console_roles UNION SELECT id FROM identities WHERE id <= 100)",
      )
    ).map((r) => [r.id, r.name]),
  );
  const actor = (id: number | null | undefined) =>
    id ? { actorId: id, actorLabel: names.get(id) ?? `identity ${id}` } : SYSTEM;

  // Policy set-up by the administrator.
  const setupAt = now - 88 * 86_400_000;
  for (const p of SLA_DEFAULTS)
    push({
      at: setupAt,
      ...actor(ctx.ids.priya),
      action: "sla.update",
      targetType: "sla_policy",
      targetId: p.reason,
      after: { anchor: p.anchor, minutes: p.minutes },
    });
  for (const [key, value] of Object.entries(SETTINGS_DEFAULTS))
    push({
      at: setupAt + 60_000,
      ...actor(ctx.ids.priya),
      action: "settings.update",
      targetType: "setting",
      targetId: key,
      after: { value },
    });

  // Console sign-ins: personas nearly every working day, other managers now and then.
  const personaIds = Object.values(ctx.ids).filter((id) => id <= 10);
  const signIns = await rows<{ id: number; name: string; at: number; ip: string; ua: string }>(
    ctx,
    `
    SELECT r.identity_id AS id, i.display_name AS name,
           ${ms(`(d::timestamp AT TIME ZONE 'UTC') + interval '7 hours' + round(3 * 3600 * ${u(key2("r.identity_id", "extract(epoch FROM d)::int8 / 86400"), 141)}) * interval '1 second'`)} AS at,
           '10.' || (r.identity_id % 200 + 20) || '.4.' || (r.identity_id % 250 + 1) AS ip,
           CASE WHEN r.identity_id % 3 = 0 THEN 'Chrome 126 on macOS' WHEN r.identity_id % 3 = 1 THEN 'Safari 17 on macOS' ELSE 'Edge 126 on Windows' END AS ua
      FROM (SELECT DISTINCT identity_id FROM console_roles) r
      JOIN identities i ON i.id = r.identity_id AND i.status = 'active'
      CROSS JOIN generate_series((${windowSql} AT TIME ZONE 'UTC')::date, (${ctx.NOW} AT TIME ZONE 'UTC')::date, interval '1 day') d
     WHERE extract(isodow FROM d) < 6
       AND ${u(key2("r.identity_id", "extract(epoch FROM d)::int8 / 86400"), 140)} < CASE WHEN r.identity_id IN (${personaIds.join(",")}) THEN 0.95 ELSE ${ctx.p.managerSignInRate} END
     ORDER BY 3, 1`,
  );
  for (const s of signIns)
    push({
      at: s.at,
      actorId: s.id,
      actorLabel: s.name,
      action: "auth.sign_in",
      targetType: "identity",
      targetId: String(s.id),
      targetLabel: s.name,
      metadata: { ip: s.ip, userAgent: s.ua, method: "webauthn" },
    });
  push({
    at: now - 3_300_000,
    ...actor(ctx.ids.ravi),
    action: "auth.sign_in_denied",
    targetType: "identity",
    targetId: String(ctx.ids.ravi),
    targetLabel: names.get(ctx.ids.ravi),
    metadata: { ip: "198.51.100.77", reason: "identity is a leaver" },
  });

  await leaverEvents(ctx, push, actor, ms, windowSql);
  await reviewEvents(ctx, push, actor, ms);
  await breakGlassEvents(ctx, push, actor, ms);
  await factorAndCredentialEvents(ctx, push, ms, windowSql);

  events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  let prevHash = GENESIS_HASH;
  const batch: Record<string, unknown>[] = [];
  let written = 0;
  const flush = async () => {
    // One JSON parameter per batch (portable across both drivers), expanded in order so ids follow the chain.
    await exec(
      ctx,
      sql`
      INSERT INTO audit_events (occurred_at, actor_id, actor_label, action, target_type, target_id, target_label, before, after, metadata, prev_hash, hash)
      SELECT occurred_at, actor_id, actor_label, action, target_type, target_id, target_label, before, after, metadata, prev_hash, hash
        FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(batch.splice(0))}::jsonb) AS (
               occurred_at timestamptz, actor_id int, actor_label text, action text, target_type text, target_id text,
               target_label text, before jsonb, after jsonb, metadata jsonb, prev_hash text, hash text)) WITH ORDINALITY AS x(
               occurred_at, actor_id, actor_label, action, target_type, target_id, target_label, before, after, metadata, prev_hash, hash, n)
       ORDER BY n`,
    );
  };
  for (const e of events) {
    const event: ChainedEvent = {
      occurredAt: new Date(e.at),
      actorId: e.actorId,
      actorLabel: e.actorLabel,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      targetLabel: e.targetLabel,
      before: toJsonValue(e.before),
      after: toJsonValue(e.after),
      metadata: toJsonValue(e.metadata),
    };
    const hash = hashEvent(event, prevHash);
    // Null fields are left out so they load as SQL NULL (not a jsonb 'null').
    batch.push(
      Object.fromEntries(
        Object.entries({
          occurred_at: event.occurredAt.toISOString(),
          actor_id: event.actorId,
          actor_label: event.actorLabel,
          action: event.action,
          target_type: event.targetType,
          target_id: event.targetId,
          target_label: event.targetLabel,
          before: event.before,
          after: event.after,
          metadata: event.metadata,
          prev_hash: prevHash,
          hash,
        }).filter(([, v]) => v !== null && v !== undefined),
      ),
    );
    prevHash = hash;
    if (batch.length === 5000) {
      await flush();
      written += 5000;
      if (written % 50_000 === 0)
        say(ctx, `  audit events: ${written.toLocaleString("en-US")} / ${events.length.toLocaleString("en-US")}`);
    }
  }
  if (batch.length) await flush();
  say(ctx, `audit events: ${events.length.toLocaleString("en-US")} (hash-chained)`);
}

type Push = (
  e: Omit<Ev, "seq" | "before" | "after" | "metadata" | "targetLabel"> &
    Partial<Pick<Ev, "before" | "after" | "metadata" | "targetLabel">>,
) => void;
type ActorOf = (id: number | null | undefined) => { actorId: number | null; actorLabel: string };
type Ms = (col: string) => string;

async function leaverEvents(ctx: SeedCtx, push: Push, actor: ActorOf, ms: Ms, windowSql: string): Promise<void> {
  const batches = await rows<{ id: number; at: number; by: number | null; name: string; file: string; n: number }>(
    ctx,
    `SELECT id, ${ms("created_at")} AS at, created_by_id AS by, name, file_name AS file, row_count AS n FROM leaver_batches ORDER BY id`,
  );
  for (const b of batches) {
    push({
      at: b.at,
      ...(b.by ? actor(b.by) : { actorId: null, actorLabel: "Workday HR import" }),
      action: "leaver.import",
      targetType: "leaver_batch",
      targetId: String(b.id),
      targetLabel: b.name,
      after: { fileName: b.file, rows: b.n },
    });
  }
  const cases = await rows<{
    id: number;
    who: string;
    reason: string;
    batch: number | null;
    opened: number;
    by: number | null;
    assignee: number | null;
    eff: string;
    sla: string;
    total: number;
    closed: number | null;
    closedBy: number | null;
    reopened: number | null;
  }>(
    ctx,
    `
    SELECT c.id, i.display_name AS who, c.reason::text AS reason, c.batch_id AS batch, ${ms("c.opened_at")} AS opened, c.opened_by_id AS by,
           c.assignee_id AS assignee, c.effective_at::text AS eff, c.sla_due_at::text AS sla, c.tasks_total AS total,
           ${ms("c.closed_at")} AS closed, c.closed_by_id AS "closedBy", ${ms("c.reopened_at")} AS reopened
      FROM leaver_cases c JOIN identities i ON i.id = c.identity_id ORDER BY c.id`,
  );
  for (const c of cases) {
    const target = { targetType: "leaver_case", targetId: String(c.id), targetLabel: c.who };
    const opener = c.by
      ? actor(c.by)
      : { actorId: null, actorLabel: c.batch ? "Workday HR import" : "Workday webhook" };
    push({
      at: c.opened,
      ...opener,
      action: "leaver.open",
      ...target,
      after: {
        status: "open",
        reason: c.reason,
        effectiveAt: new Date(c.eff).toISOString(),
        slaDueAt: new Date(c.sla).toISOString(),
        tasks: c.total,
      },
    });
    if (c.assignee)
      push({
        at: c.opened + 240_000,
        ...actor(ctx.ids.jordan),
        action: "leaver.assign",
        ...target,
        after: { assigneeId: c.assignee },
      });
    if (c.closed)
      push({
        at: c.closed,
        ...actor(c.closedBy),
        action: "leaver.close",
        ...target,
        before: { status: "in_progress" },
        after: { status: "closed" },
      });
    if (c.reopened) {
      push({
        at: c.reopened,
        actorId: null,
        actorLabel: "Drift watch",
        action: "leaver.reopen",
        ...target,
        before: { status: "closed" },
        after: { status: "reopened" },
        metadata: { cause: "revocation undone on re-verification" },
      });
    }
  }
  const tasks = await rows<{
    id: number;
    caseId: number;
    kind: string;
    label: string;
    state: string;
    exec: number | null;
    verified: number | null;
    verification: string | null;
    error: string | null;
    assignee: number | null;
    confirmedBy: number | null;
    waivedBy: number | null;
    waivedReason: string | null;
    opened: number;
    system: string;
  }>(
    ctx,
    `
    SELECT t.id::int AS id, t.case_id AS "caseId", t.action::text AS kind, t.target_label AS label, t.state::text AS state,
           ${ms("t.executed_at")} AS exec, ${ms("t.verified_at")} AS verified, t.verification, t.last_error AS error,
           coalesce(c.assignee_id, ${ctx.ids.avery}) AS assignee, t.confirmed_by_id AS "confirmedBy", t.waived_by_id AS "waivedBy",
           t.waived_reason AS "waivedReason", ${ms("c.opened_at")} AS opened, s.name AS system
      FROM remediation_tasks t JOIN leaver_cases c ON c.id = t.case_id JOIN systems s ON s.id = t.system_id
     WHERE (t.updated_at >= ${windowSql} OR c.reopened_at >= ${windowSql}) AND t.state <> 'pending' OR t.last_error LIKE 'Drift:%'
     ORDER BY t.id`,
  );
  for (const t of tasks) {
    const target = { targetType: "remediation_task", targetId: String(t.id), targetLabel: t.label };
    const meta = { origin: "leaver_case", originId: t.caseId, action: t.kind, system: t.system };
    if (t.exec)
      push({
        at: t.exec,
        ...actor(t.assignee),
        action: "remediation.execute",
        ...target,
        before: { state: "pending" },
        after: { state: "done" },
        metadata: meta,
      });
    if (t.verified) {
      push({
        at: t.verified,
        ...(t.confirmedBy ? actor(t.confirmedBy) : { actorId: null, actorLabel: "Lockstep verifier" }),
        action: "remediation.verify",
        ...target,
        before: { state: "done" },
        after: { state: "verified", verification: t.verification },
        metadata: meta,
      });
    }
    if (t.state === "failed" && t.exec)
      push({
        at: t.exec + 30_000,
        actorId: null,
        actorLabel: "Lockstep connector",
        action: "remediation.fail",
        ...target,
        after: { state: "failed", error: t.error },
        metadata: meta,
      });
    if (t.state === "waived")
      push({
        at: t.opened + 7_200_000,
        ...actor(t.waivedBy),
        action: "remediation.waive",
        ...target,
        after: { state: "waived", reason: t.waivedReason },
        metadata: meta,
      });
  }
}

async function reviewEvents(ctx: SeedCtx, push: Push, actor: ActorOf, ms: Ms): Promise<void> {
  const campaigns = await rows<{
    id: number;
    name: string;
    kind: string;
    created: number;
    starts: number;
    closed: number | null;
    by: number | null;
    status: string;
    items: number;
  }>(
    ctx,
    `
    SELECT c.id, c.name, c.kind::text AS kind, ${ms("c.created_at")} AS created, ${ms("c.starts_at")} AS starts, ${ms("c.closed_at")} AS closed,
           c.created_by_id AS by, c.status::text AS status, (SELECT count(*) FROM review_items i WHERE i.campaign_id = c.id)::int AS items
      FROM review_campaigns c ORDER BY c.id`,
  );
  for (const c of campaigns) {
    const target = { targetType: "review_campaign", targetId: String(c.id), targetLabel: c.name };
    push({
      at: c.created,
      ...actor(c.by),
      action: "review.campaign_create",
      ...target,
      after: { kind: c.kind, status: "draft" },
    });
    if (c.status !== "draft")
      push({
        at: c.starts,
        ...actor(c.by),
        action: "review.campaign_start",
        ...target,
        before: { status: "draft" },
        after: { status: "active", items: c.items },
      });
    if (c.closed)
      push({
        at: c.closed,
        ...actor(c.by),
        action: "review.campaign_close",
        ...target,
        before: { status: "active" },
        after: { status: "closed" },
      });
  }
  const decided = await rows<{
    id: number;
    campaign: number;
    by: number;
    at: number;
    decision: string;
    rec: string;
    justification: string;
    subject: string;
    kept: string[] | null;
  }>(
    ctx,
    `
    SELECT i.id::int AS id, i.campaign_id AS campaign, i.decided_by_id AS by, ${ms("i.decided_at")} AS at, i.decision::text AS decision,
           i.recommendation::text AS rec, i.justification, s.display_name AS subject, i.kept_scopes AS kept
      FROM review_items i JOIN identities s ON s.id = i.subject_id WHERE i.decision IS NOT NULL ORDER BY i.id`,
  );
  for (const d of decided) {
    push({
      at: d.at,
      ...actor(d.by),
      action: "review.decide",
      targetType: "review_item",
      targetId: String(d.id),
      targetLabel: d.subject,
      after: { decision: d.decision, justification: d.justification, ...(d.kept ? { keptScopes: d.kept } : {}) },
      metadata: { campaignId: d.campaign, recommendation: d.rec },
    });
  }
}

async function breakGlassEvents(ctx: SeedCtx, push: Push, actor: ActorOf, ms: Ms): Promise<void> {
  const reqs = await rows<{
    id: number;
    kind: string;
    requester: number;
    subject: string;
    status: string;
    created: number;
    lapses: number;
    activated: number | null;
    ended: number | null;
    minutes: number;
  }>(
    ctx,
    `
    SELECT r.id, r.kind::text AS kind, r.requester_id AS requester, s.display_name AS subject, r.status::text AS status,
           ${ms("r.created_at")} AS created, ${ms("r.request_expires_at")} AS lapses, ${ms("r.activated_at")} AS activated,
           ${ms("r.ended_at")} AS ended, r.duration_minutes AS minutes
      FROM break_glass_requests r JOIN identities s ON s.id = r.subject_id ORDER BY r.id`,
  );
  const approvals = await rows<{ request: number; by: number; decision: string; at: number; comment: string }>(
    ctx,
    `
    SELECT request_id AS request, approver_id AS by, decision::text AS decision, ${ms("decided_at")} AS at, comment FROM break_glass_approvals ORDER BY id`,
  );
  for (const r of reqs) {
    const target = { targetType: "break_glass_request", targetId: String(r.id), targetLabel: r.subject };
    push({
      at: r.created,
      ...actor(r.requester),
      action: "break_glass.request",
      ...target,
      after: { status: "pending", kind: r.kind, durationMinutes: r.minutes },
    });
    for (const a of approvals.filter((x) => x.request === r.id)) {
      push({
        at: a.at,
        ...actor(a.by),
        action: a.decision === "approve" ? "break_glass.approve" : "break_glass.deny",
        ...target,
        after: { decision: a.decision, comment: a.comment },
      });
    }
    if (r.activated)
      push({
        at: r.activated,
        actorId: null,
        actorLabel: "system",
        action: "break_glass.activate",
        ...target,
        before: { status: "approved" },
        after: { status: "active" },
      });
    if (r.status === "expired") {
      push({
        at: r.ended ?? r.lapses,
        actorId: null,
        actorLabel: "system",
        action: "break_glass.expire",
        ...target,
        before: { status: r.activated ? "active" : "pending" },
        after: { status: "expired" },
      });
    }
    if (r.status === "revoked" && r.ended)
      push({
        at: r.ended,
        ...actor(ctx.ids.avery),
        action: "break_glass.revoke",
        ...target,
        before: { status: "active" },
        after: { status: "revoked" },
      });
    if (r.status === "cancelled")
      push({
        at: r.created + 1_800_000,
        ...actor(r.requester),
        action: "break_glass.cancel",
        ...target,
        before: { status: "pending" },
        after: { status: "cancelled" },
      });
  }
}

async function factorAndCredentialEvents(ctx: SeedCtx, push: Push, ms: Ms, windowSql: string): Promise<void> {
  const factors = await rows<{
    id: number;
    who: number;
    name: string;
    type: string;
    usage: string;
    at: number;
    status: string;
    ended: number | null;
  }>(
    ctx,
    `
    SELECT a.id, a.identity_id AS who, i.display_name AS name, a.type::text AS type, a.usage::text AS usage, ${ms("a.enrolled_at")} AS at,
           a.status::text AS status, CASE WHEN a.status = 'revoked' THEN ${ms("a.last_used_at")} END AS ended
      FROM authenticators a JOIN identities i ON i.id = a.identity_id
     WHERE a.enrolled_at >= ${windowSql} OR (a.status = 'revoked' AND a.last_used_at >= ${windowSql}
           AND NOT EXISTS (SELECT 1 FROM remediation_tasks t WHERE t.action = 'remove_recovery_factor' AND t.target_id = a.id))
     ORDER BY a.id`,
  );
  for (const f of factors) {
    const target = {
      targetType: "authenticator",
      targetId: String(f.id),
      targetLabel: `${f.name}: ${f.type} (${f.usage})`,
    };
    push({
      at: f.at,
      actorId: f.who,
      actorLabel: f.name,
      action: "factor.enroll",
      ...target,
      after: { type: f.type, usage: f.usage, status: "active" },
    });
    if (f.ended)
      push({
        at: f.ended + 60_000,
        actorId: f.who,
        actorLabel: f.name,
        action: "factor.revoke",
        ...target,
        before: { status: "active" },
        after: { status: "revoked" },
        metadata: { reason: "replaced by a stronger factor" },
      });
  }
  // Revocations outside leaver cases: review outcomes and hygiene clean-ups by the analysts.
  const creds = await rows<{ id: number; name: string; at: number; review: boolean }>(
    ctx,
    `
    SELECT c.id, c.name, ${ms("c.revoked_at")} AS at,
           EXISTS (SELECT 1 FROM review_items i WHERE i.credential_id = c.id AND i.decision = 'revoke') AS review
      FROM credentials c
     WHERE c.status = 'revoked' AND c.revoked_at >= ${windowSql}
       AND NOT EXISTS (SELECT 1 FROM remediation_tasks t WHERE t.action = 'revoke_credential' AND t.target_id = c.id)
     ORDER BY c.id`,
  );
  for (const c of creds) {
    push({
      at: c.at,
      ...(c.id % 2
        ? { actorId: ctx.ids.avery, actorLabel: "Avery Chen" }
        : { actorId: ctx.ids.jordan, actorLabel: "Jordan Okafor" }),
      action: "api_scope.revoke",
      targetType: "credential",
      targetId: String(c.id),
      targetLabel: c.name,
      before: { status: "active" },
      after: { status: "revoked" },
      metadata: { source: c.review ? "access review" : "hygiene" },
    });
  }
}
