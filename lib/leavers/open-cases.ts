import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { leaverBatches } from "@/db/schema";
import { intArray } from "@/db/sql";
import { writeAuditMany } from "@/lib/audit";
import { endSessionsOf } from "@/lib/auth/console-sessions.internal";
import { authorize } from "@/lib/authz";
import { lockActiveAdmins } from "@/lib/console-roles/admins.internal";
import { type Ctx, transact } from "@/lib/context";
import { generateTasks } from "./internal";
import { loadLeaverPolicy } from "./policy";
import { defaultEffectiveAt, type LeaverReason, slaDueAt } from "./rules";

/** `effectiveAt` omitted: the reason's default (rules.ts defaultEffectiveAt — a voluntary leaver's last day's end). */
export type LeaverInput = { identityId: number; reason: LeaverReason; effectiveAt?: Date; lastDay: string | null };
type BatchInput = {
  name: string;
  source: "hr_import" | "manual" | "scim";
  fileName?: string | null;
  rowCount: number;
  /** The import run behind the batch, and how many of its rows opened no case (errors and skips). */
  importRunId?: number | null;
  rowsNotImported?: number;
};
type SkipReason = "open_case" | "not_found" | "not_human" | "duplicate" | "self" | "admin_needs_admin" | "last_admin";

/** Reasons whose case ends console access when it opens (the others at the case's effective time). */
const IMMEDIATE = new Set<LeaverReason>(["involuntary", "layoff"]);

/** Why a person was not offboarded, in words (the person page, the HR import's rows). */
export const SKIP_REASONS: Record<SkipReason, string> = {
  open_case: "already has an open leaver case",
  not_found: "was not found",
  not_human: "is not a person",
  duplicate: "was listed twice",
  self: "is you: nobody opens their own leaver case",
  admin_needs_admin: "is a console administrator: only an administrator offboards one",
  last_admin: "is the last active console administrator: grant the role to someone else first",
};
export type OpenCasesResult = {
  batchId: number | null;
  opened: { caseId: number; identityId: number; tasks: number }[];
  skipped: { identityId: number; reason: SkipReason }[];
};

/**
 * Opens leaver cases for a set of people in one transaction — the one path used by the HR import, the
 * person page's "Start offboarding" and SCIM `active=false`. Set-based: one INSERT for the cases, one for all
 * their tasks. A person with an open case is reported, never duplicated (the partial unique index backs it
 * under concurrency). Each person becomes a leaver at once (console access ends) and their posture rollup
 * follows in the same transaction (the identities trigger keeps it).
 */
export async function openCases(ctx: Ctx, input: OpenCasesInput): Promise<OpenCasesResult> {
  authorize(ctx.actor, "leavers.manage");
  return open(ctx, input);
}

/**
 * The same path for a provisioning client (SCIM `active=false` or DELETE, lib/scim), which holds its own machine
 * permission rather than a console role. The audit events say the source was SCIM.
 */
export async function openCasesByProvisioning(
  ctx: Ctx,
  input: { leavers: readonly LeaverInput[] },
): Promise<OpenCasesResult> {
  authorize(ctx.actor, "scim.provision");
  return open(ctx, { leavers: input.leavers, source: "scim" });
}

type OpenCasesInput = {
  leavers: readonly LeaverInput[];
  batch?: BatchInput | null;
  assigneeId?: number | null;
  /** Where the cases come from when there is no batch to say it (the audit metadata). */
  source?: BatchInput["source"];
};

function open(ctx: Ctx, input: OpenCasesInput): Promise<OpenCasesResult> {
  return transact(ctx, async (tx) => {
    const skipped: OpenCasesResult["skipped"] = [];
    const seen = new Set<number>();
    const unique: LeaverInput[] = [];
    for (const l of input.leavers) {
      if (seen.has(l.identityId)) skipped.push({ identityId: l.identityId, reason: "duplicate" });
      else {
        seen.add(l.identityId);
        unique.push(l);
      }
    }
    const people = await queryRows(
      tx.db,
      sql`
      SELECT i.id, i.kind::text AS kind, i.display_name AS name,
             (SELECT c.id FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed' LIMIT 1) AS open_case,
             EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id AND r.role = 'admin') AS admin
        FROM identities i WHERE i.id = ANY(${intArray(unique.map((l) => l.identityId))})`,
      z.object({ id: col.int, kind: col.text, name: col.text, open_case: col.intOrNull, admin: col.bool }),
    );
    const byId = new Map(people.map((p) => [p.id, p]));
    const policy = await loadLeaverPolicy(tx.db);
    // The installation must keep an administrator who can sign in: count them once (locked, so two offboardings
    // at the same moment cannot each leave the other as the last one).
    let admins = people.some((p) => p.admin) ? (await lockActiveAdmins(tx)).length : 0;
    // A console administrator is offboarded by an administrator (or by the IdP, which is authoritative for who
    // works here): an analyst cannot lock the administrators out.
    const byAdmin = tx.actor.kind !== "user" || tx.actor.roles.includes("admin");
    const toOpen = unique.filter((l) => {
      const p = byId.get(l.identityId);
      const reason: SkipReason | null = !p
        ? "not_found"
        : p.kind !== "human"
          ? "not_human"
          : p.open_case
            ? "open_case"
            : tx.actor.kind === "user" && p.id === tx.actor.id
              ? "self"
              : p.admin && !byAdmin
                ? "admin_needs_admin"
                : p.admin && admins <= 1
                  ? "last_admin"
                  : null;
      if (reason) skipped.push({ identityId: l.identityId, reason });
      else if (p?.admin) admins--;
      return !reason;
    });

    let batchId: number | null = null;
    if (input.batch) {
      const [b] = await tx.db
        .insert(leaverBatches)
        .values({
          name: input.batch.name,
          source: input.batch.source,
          fileName: input.batch.fileName ?? null,
          rowCount: input.batch.rowCount,
          importRunId: input.batch.importRunId ?? null,
          rowsNotImported: input.batch.rowsNotImported ?? 0,
          createdById: tx.actor.id,
          createdAt: tx.now,
        })
        .returning({ id: leaverBatches.id });
      batchId = b.id;
    }
    if (toOpen.length === 0) return { batchId, opened: [], skipped };

    const payload = JSON.stringify(
      toOpen.map((l) => {
        const effectiveAt = l.effectiveAt ?? defaultEffectiveAt(l.reason, l.lastDay, policy.timeZone, tx.now);
        return {
          identity_id: l.identityId,
          reason: l.reason,
          last_day: l.lastDay,
          effective_at: effectiveAt.toISOString(),
          sla_due_at: slaDueAt({
            policy: policy.sla[l.reason],
            effectiveAt,
            lastDay: l.lastDay,
            timeZone: policy.timeZone,
          }).toISOString(),
        };
      }),
    );
    const created = await queryRows(
      tx.db,
      sql`
      INSERT INTO leaver_cases (identity_id, batch_id, reason, status, last_day, effective_at, sla_due_at, assignee_id, opened_by_id, opened_at)
      SELECT x.identity_id, ${batchId}, x.reason::leaver_reason, 'open', x.last_day::date, x.effective_at, x.sla_due_at,
             ${input.assigneeId ?? null}::int, ${tx.actor.id}::int, ${tx.now.toISOString()}::timestamptz
        FROM jsonb_to_recordset(${payload}::jsonb) AS x(identity_id int, reason text, last_day text, effective_at timestamptz, sla_due_at timestamptz)
       ORDER BY x.identity_id
      ON CONFLICT (identity_id) WHERE status <> 'closed' DO NOTHING
      RETURNING id, identity_id`,
      z.object({ id: col.int, identity_id: col.int }),
    );
    // Someone else opened a case for these people between our check and our insert: report, never duplicate.
    const createdFor = new Set(created.map((c) => c.identity_id));
    for (const l of toOpen)
      if (!createdFor.has(l.identityId)) skipped.push({ identityId: l.identityId, reason: "open_case" });

    const caseIds = created.map((c) => c.id);
    const personIds = created.map((c) => c.identity_id);
    // The case counters and queue rank follow the new tasks by trigger (migration 0016).
    await generateTasks(tx, caseIds);
    await tx.db.execute(sql`
      UPDATE identities i SET status = 'leaver', updated_at = ${tx.now.toISOString()}::timestamptz,
             termination_date = coalesce(x.last_day::date, i.termination_date)
        FROM jsonb_to_recordset(${payload}::jsonb) AS x(identity_id int, last_day text)
       WHERE i.id = x.identity_id AND i.id = ANY(${intArray(personIds)})`);

    // Involuntary and layoff cases end console access now (loadConsoleUser): their sessions end with it, on record.
    await endSessionsOf(
      tx,
      toOpen.filter((l) => createdFor.has(l.identityId) && IMMEDIATE.has(l.reason)).map((l) => l.identityId),
      "leaver",
    );

    const summary = await queryRows(
      tx.db,
      sql`
      SELECT c.id, c.identity_id, c.tasks_total, c.sla_due_at, c.reason::text AS reason
        FROM leaver_cases c WHERE c.id = ANY(${intArray(caseIds)}) ORDER BY c.id`,
      z.object({ id: col.int, identity_id: col.int, tasks_total: col.int, sla_due_at: col.date, reason: col.text }),
    );
    await writeAuditMany(tx, [
      ...(batchId
        ? [
            {
              action: "leaver.import" as const,
              target: { type: "leaver_batch", id: batchId, label: input.batch!.name },
              // Skipped: every row of the file that opened no case — the preview's errors and skips, and anyone
              // who got a case since (acceptance testing saw "skipped: 0" after a file with skipped rows).
              after: {
                ...input.batch,
                cases: summary.length,
                skipped: (input.batch!.rowsNotImported ?? 0) + skipped.length,
              },
            },
          ]
        : []),
      ...summary.map((c) => ({
        action: "leaver.open" as const,
        target: { type: "leaver_case", id: c.id, label: byId.get(c.identity_id)?.name ?? null },
        after: {
          identityId: c.identity_id,
          reason: c.reason,
          slaDueAt: c.sla_due_at.toISOString(),
          tasks: c.tasks_total,
          batchId,
        },
        metadata: { source: input.batch?.source ?? input.source ?? "manual" },
      })),
    ]);
    return {
      batchId,
      opened: summary.map((c) => ({ caseId: c.id, identityId: c.identity_id, tasks: c.tasks_total })),
      skipped,
    };
  });
}
