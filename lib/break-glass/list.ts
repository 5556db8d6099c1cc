import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { authenticatorType, breakGlassKind, breakGlassReason, breakGlassStatus } from "@/db/schema/enums";
import { enumArray } from "@/db/sql";
import { authorize, breakGlassScope } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { allPages, utc } from "@/lib/csv";
import { keysetCondition, keysetOrder, type PageRequest, toPage } from "@/lib/pagination";
import { OPEN_STATUSES } from "./rules";
import type { RequestFilters } from "./schemas";

const listRow = z.object({
  id: col.int,
  kind: z.enum(breakGlassKind.enumValues),
  status: z.enum(breakGlassStatus.enumValues),
  drill: col.bool,
  reason_code: z.enum(breakGlassReason.enumValues),
  reason: col.text,
  ticket_ref: col.textOrNull,
  requester_id: col.int,
  requester: col.text,
  subject_id: col.int,
  subject: col.text,
  entitlement: col.textOrNull,
  system: col.textOrNull,
  recovery_factor: z.enum(authenticatorType.enumValues).nullable(),
  duration_minutes: col.int,
  created_at: col.date,
  request_expires_at: col.date,
  activated_at: col.dateOrNull,
  expires_at: col.dateOrNull,
  ended_at: col.dateOrNull,
  post_review_due_at: col.dateOrNull,
  post_review_at: col.dateOrNull,
  required: col.int,
  approvals: col.int,
  pending_first: col.int,
});

const toItem = (r: z.output<typeof listRow>) => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  drill: r.drill,
  reasonCode: r.reason_code,
  reason: r.reason,
  ticketRef: r.ticket_ref,
  requester: { id: r.requester_id, name: r.requester },
  subject: { id: r.subject_id, name: r.subject },
  entitlement: r.entitlement,
  system: r.system,
  recoveryFactor: r.recovery_factor,
  durationMinutes: r.duration_minutes,
  createdAt: r.created_at,
  requestExpiresAt: r.request_expires_at,
  activatedAt: r.activated_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
  postReviewDueAt: r.post_review_due_at,
  postReviewAt: r.post_review_at,
  required: r.required,
  approvals: r.approvals,
  pendingFirst: r.pending_first,
});
export type RequestListItem = ReturnType<typeof toItem>;

// Requests still waiting for a decision first, then newest first; ties by id (one direction for the keyset).
const keys = [sql`(r.status = 'pending')::int`, sql`r.created_at`, sql`r.id`];

/**
 * Break-glass requests, a keyset page at a time: approvers, analysts and admins see all; anyone else sees the
 * requests they made or that are about them (in the WHERE clause).
 */
export async function listRequests(ctx: Ctx, input: RequestFilters & PageRequest) {
  authorize(ctx.actor, "break_glass.request");
  const scope = breakGlassScope(ctx.actor, sql.raw("r.id")) ?? sql`true`;
  const status =
    input.status === "open"
      ? sql`r.status = ANY(${enumArray(breakGlassStatus, OPEN_STATUSES)})`
      : input.status
        ? sql`r.status = ${input.status}::break_glass_status`
        : sql`true`;
  const page = keysetCondition(input, keys, ["int", "timestamptz", "int"], "desc");
  const rows = await queryRows(
    ctx.db,
    sql`
    SELECT r.id, r.kind, r.status, r.drill, r.reason_code, r.reason, r.ticket_ref, r.requester_id, q.display_name AS requester,
           r.subject_id, s.display_name AS subject, e.name AS entitlement, sy.name AS system, r.recovery_factor,
           r.duration_minutes, r.created_at, r.request_expires_at, r.activated_at, r.expires_at, r.ended_at,
           r.post_review_due_at, r.post_review_at, r.required_approvals::int AS required,
           (SELECT count(*) FROM break_glass_approvals a WHERE a.request_id = r.id AND a.decision = 'approve')::int AS approvals,
           (r.status = 'pending')::int AS pending_first
      FROM break_glass_requests r
      JOIN identities q ON q.id = r.requester_id JOIN identities s ON s.id = r.subject_id
      LEFT JOIN entitlements e ON e.id = r.entitlement_id LEFT JOIN systems sy ON sy.id = e.system_id
     WHERE ${scope} AND ${status}
       ${input.kind ? sql`AND r.kind = ${input.kind}::break_glass_kind` : sql``}
       ${input.drill ? sql`AND r.drill = ${input.drill === "1"}` : sql``}
       ${
         input.review === "overdue"
           ? sql`AND r.post_review_due_at < ${ctx.now.toISOString()}::timestamptz AND r.post_review_at IS NULL AND NOT r.drill`
           : sql``
       }
       ${page ? sql`AND ${page}` : sql``}
     ORDER BY ${keysetOrder(input, keys, "desc")}
     LIMIT ${input.limit + 1}`,
    listRow,
  );
  return toPage(rows.map(toItem), input, (r) => [r.pendingFirst, r.createdAt.toISOString(), r.id]);
}

export const REQUEST_CSV_HEADER = [
  "request_id",
  "kind",
  "drill",
  "status",
  "subject",
  "requester",
  "reason_code",
  "reason",
  "ticket_ref",
  "entitlement",
  "system",
  "recovery_factor",
  "duration_minutes",
  "approvals",
  "required_approvals",
  "created_at_utc",
  "request_expires_at_utc",
  "activated_at_utc",
  "expires_at_utc",
  "ended_at_utc",
  "post_review_due_at_utc",
  "post_review_at_utc",
];

/** The list as filtered on screen, every page, in list order; times in UTC. */
export async function* requestCsvRows(ctx: Ctx, filters: RequestFilters): AsyncGenerator<unknown[]> {
  authorize(ctx.actor, "break_glass.request");
  for await (const r of allPages((after) => listRequests(ctx, { ...filters, after, limit: 500 }))) {
    yield [
      r.id,
      r.kind,
      r.drill ? "yes" : "no",
      r.status,
      r.subject.name,
      r.requester.name,
      r.reasonCode,
      r.reason,
      r.ticketRef,
      r.entitlement,
      r.system,
      r.recoveryFactor,
      r.durationMinutes,
      r.approvals,
      r.required,
      utc(r.createdAt),
      utc(r.requestExpiresAt),
      utc(r.activatedAt),
      utc(r.expiresAt),
      utc(r.endedAt),
      utc(r.postReviewDueAt),
      utc(r.postReviewAt),
    ];
  }
}
