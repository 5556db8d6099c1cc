import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { systems } from "@/db/schema";
import type { RemediationParams } from "@/db/schema/remediation";
import { bigintArray } from "@/db/sql";
import { type AuditInput, writeAuditMany } from "@/lib/audit";
import { workingKinds } from "@/lib/connectors/support";
import type { Ctx } from "@/lib/context";
import type { AuditedEventName } from "@/lib/events/catalog";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import type { RemediationAction, RemediationOrigin } from "./model";
import { taskJob } from "./queue-job";

/**
 * The engine's unguarded entry points: the origin that calls them (a leaver case opening, a credential page
 * revoke, a review close, a break-glass activation) has already authorized its actor and scoped the data.
 */

export type RemediationItem = {
  originId: number;
  subjectId: number;
  systemId: number;
  action: RemediationAction;
  targetType: string;
  targetId: number;
  label: string;
  privileged?: boolean;
  bulkData?: boolean;
  priority?: number;
  params?: RemediationParams | null;
  /** transfer_ownership: the proposed new owner (the leaver's manager by default). */
  newOwnerId?: number | null;
};

/**
 * Items as a SQL query yielding the columns of RemediationItem in snake case (origin_id, subject_id, system_id,
 * action, target_type, target_id, label, privileged, bulk, priority, params, new_owner): how a set-based origin
 * (a 1,000-person layoff) asks for its tasks without bringing them through JavaScript.
 */
export type ItemsQuery = { sql: SQL };

export type RequestedTask = { id: number; originId: number; mode: "connector" | "manual" | "handover" };

const requested = z.object({
  id: col.int,
  origin_id: col.int,
  mode: z.enum(["connector", "manual", "handover"]),
});

/** (system, action) pairs a working connector will carry out, as a JSON parameter. */
async function workingSupport(db: Db): Promise<string> {
  const all = await db
    .select({
      id: systems.id,
      kind: systems.connectorKind,
      simulated: systems.connectorSimulated,
      config: systems.connectorConfig,
    })
    .from(systems);
  return JSON.stringify(all.flatMap((s) => workingKinds(s).map((action) => ({ system_id: s.id, action }))));
}

function itemsSql(items: readonly RemediationItem[] | ItemsQuery): SQL {
  if (!Array.isArray(items)) return (items as ItemsQuery).sql;
  const rows = (items as readonly RemediationItem[]).map((i) => ({
    origin_id: i.originId,
    subject_id: i.subjectId,
    system_id: i.systemId,
    action: i.action,
    target_type: i.targetType,
    target_id: i.targetId,
    label: i.label,
    privileged: i.privileged ?? false,
    bulk: i.bulkData ?? false,
    priority: i.priority ?? 50,
    params: i.params ?? null,
    new_owner: i.newOwnerId ?? null,
  }));
  return sql`SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(origin_id int8, subject_id int, system_id int,
    action text, target_type text, target_id int8, label text, privileged boolean, bulk boolean, priority int, params jsonb, new_owner int)`;
}

/**
 * Creates the tasks an origin asks for, in the caller's transaction, in one INSERT … SELECT: each task's mode is
 * decided here — through the system's connector when it can do the action now, a handover inside Lockstep for
 * ownership, otherwise by hand with evidence, assigned to the system's owner. Idempotent: an origin never holds two
 * tasks for the same change (existing ones are left alone and not returned). With `event`, one audit event per
 * origin row names the tasks (omit it only when the caller's own event already records them).
 */
export async function requestRemediation(
  tx: Ctx,
  input: {
    origin: RemediationOrigin;
    items: readonly RemediationItem[] | ItemsQuery;
    event?: {
      name: AuditedEventName;
      targetType: string;
      label?: (originId: number) => string | null;
      metadata?: Record<string, unknown>;
    };
  },
): Promise<RequestedTask[]> {
  if (Array.isArray(input.items) && input.items.length === 0) return [];
  const support = await workingSupport(tx.db);
  const caseId = input.origin === "leaver_case" ? sql`i.origin_id::int` : sql`NULL::int`;
  const now = tx.now.toISOString();
  const created = await queryRows(
    tx.db,
    sql`
    WITH i AS (${itemsSql(input.items)}),
         ws AS (SELECT * FROM jsonb_to_recordset(${support}::jsonb) AS x(system_id int, action text))
    INSERT INTO remediation_tasks (origin, origin_id, case_id, subject_id, system_id, action, target_type, target_id, target_label,
                                   params, privileged, bulk_data, priority, mode, assignee_id, new_owner_id, requested_by_id,
                                   state, created_at, updated_at)
    SELECT ${input.origin}::remediation_origin, i.origin_id, ${caseId}, i.subject_id, i.system_id, i.action::remediation_action,
           i.target_type, i.target_id, i.label, i.params, i.privileged, i.bulk, i.priority, m.mode::remediation_mode,
           CASE m.mode WHEN 'manual' THEN s.owner_id WHEN 'handover' THEN i.new_owner END,
           i.new_owner, ${tx.actor.id}::int, 'pending', ${now}::timestamptz, ${now}::timestamptz
      FROM i
      JOIN systems s ON s.id = i.system_id
      LEFT JOIN ws ON ws.system_id = i.system_id AND ws.action = i.action
      LEFT JOIN credential_handles h ON i.target_type = 'credential' AND h.credential_id = i.target_id
      CROSS JOIN LATERAL (SELECT CASE
             WHEN i.action = 'transfer_ownership' THEN 'handover'
             WHEN ws.system_id IS NULL THEN 'manual'
             -- A real OAuth server needs a handle: the token for RFC 7009, the client registration for RFC 7592.
             WHEN s.connector_kind = 'oauth' AND NOT s.connector_simulated AND i.action = 'revoke_credential'
                  AND h.credential_id IS NULL THEN 'manual'
             WHEN s.connector_kind = 'oauth' AND NOT s.connector_simulated AND i.action = 'reduce_scopes'
                  AND h.kind IS DISTINCT FROM 'registration' THEN 'manual'
             ELSE 'connector' END AS mode) m
     ORDER BY i.origin_id, i.priority, i.target_id
    ON CONFLICT (origin, origin_id, action, target_type, target_id) DO NOTHING
    RETURNING id, origin_id, mode::text AS mode`,
    requested,
  );
  const tasks = created.map((r) => ({ id: r.id, originId: r.origin_id, mode: r.mode }));
  const event = input.event;
  if (event) {
    const byOrigin = groupBy(tasks, (t) => t.originId);
    await writeAuditMany(
      tx,
      [...byOrigin].map(
        ([originId, list]): AuditInput => ({
          action: event.name,
          target: { type: event.targetType, id: originId, label: event.label?.(originId) ?? null },
          after: {
            tasks: list.length,
            taskIds: list.map((t) => t.id),
            manual: list.filter((t) => t.mode !== "connector").length,
          },
          metadata: { origin: input.origin, ...event.metadata },
        }),
      ),
    );
  }
  return tasks;
}

export type QueueFilter = { taskIds?: readonly number[]; origin?: { type: RemediationOrigin; ids: readonly number[] } };
export type QueuedTask = { id: number; origin: RemediationOrigin; originId: number };

/**
 * Queues every automatable task matched — pending or failed ones to execute, executed ("done") ones to verify —
 * with one UPDATE, one bulk enqueue and one audit event per origin row, in the caller's transaction. Manual and
 * handover tasks are left for people; tasks a worker holds right now are left to it.
 */
export async function queueTasks(
  tx: Ctx,
  filter: QueueFilter,
  event: AuditedEventName = "remediation.queue",
): Promise<QueuedTask[]> {
  const now = tx.now.toISOString();
  const taskIds = bigintArray(filter.taskIds ?? []);
  const originIds = bigintArray(filter.origin?.ids ?? []);
  const origin = filter.origin?.type ?? null;
  const rows = await queryRows(
    tx.db,
    sql`
    UPDATE remediation_tasks t
       SET state = CASE WHEN t.state = 'done' THEN 'done'::remediation_state ELSE 'running'::remediation_state END,
           not_before = CASE WHEN t.state = 'done' THEN ${now}::timestamptz END, updated_at = ${now}::timestamptz
      FROM systems s
     WHERE s.id = t.system_id AND t.mode = 'connector'
       -- 'running' for 10 minutes without a live lease: its job was lost (a restart); queuing again is harmless (same key).
       AND t.state IN ('pending', 'failed', 'done', 'running') AND (t.lease_until IS NULL OR t.lease_until < ${now}::timestamptz)
       AND (t.state <> 'running' OR t.updated_at < ${now}::timestamptz - interval '10 minutes')
       AND (t.id = ANY(${taskIds}) OR (t.origin = ${origin}::remediation_origin AND t.origin_id = ANY(${originIds})))
    RETURNING t.id, t.origin::text AS origin, t.origin_id, t.system_id, s.max_concurrency`,
    z.object({
      id: col.int,
      origin: z.custom<RemediationOrigin>((v) => typeof v === "string"),
      origin_id: col.int,
      system_id: col.int,
      max_concurrency: col.int,
    }),
  );
  if (rows.length === 0) return [];
  await enqueueJobs(
    tx.db,
    rows.map((r) => taskJob({ id: r.id, system: { id: r.system_id, maxConcurrency: r.max_concurrency } }, tx.now)),
  );
  const byOrigin = groupBy(rows, (r) => `${r.origin}:${r.origin_id}`);
  await writeAuditMany(
    tx,
    [...byOrigin.values()].map((list) => ({
      action: event,
      target: originTarget(list[0].origin, list[0].origin_id),
      after: { queued: list.length, taskIds: list.map((r) => r.id) },
    })),
  );
  return rows.map((r) => ({ id: r.id, origin: r.origin, originId: r.origin_id }));
}

/** How an origin row is named in the audit log. */
function originTarget(origin: RemediationOrigin, id: number) {
  const type = {
    leaver_case: "leaver_case",
    review_item: "review_item",
    break_glass: "break_glass_request",
    credential_page: "credential",
    drift: "remediation_task",
  }[origin];
  return { type, id };
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return m;
}
