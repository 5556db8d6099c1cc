import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import {
  reconciliationRuns,
  reconciliationStagedGroups,
  reconciliationStagedMembers,
  reconciliationStagedUsers,
} from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { SYSTEM_ACTOR } from "@/lib/authz";
import type { ScimListedGroup, ScimListedUser } from "@/lib/connectors/scim";
import { ScimConnector } from "@/lib/connectors/scim";
import { systemColumns, systemFromRow, systemRow, type WorkedSystem } from "@/lib/connectors/system";
import { makeCtx, transact } from "@/lib/context";
import { enqueueJobs } from "@/lib/jobs/enqueue";
import { coverDiscoveredAccess } from "@/lib/leavers/discovered.internal";
import { DRIFT_JOB } from "@/lib/remediation/drift";
import { applyStaged, deleteStaged } from "./apply.internal";

/**
 * Users and groups asked for per page (a system may answer fewer; Lockstep's own SCIM provider allows 500):
 * `LOCKSTEP_RECONCILE_PAGE_SIZE`, default 500.
 */
function pageSizeOf(env: NodeJS.ProcessEnv): number {
  const n = Number(env.LOCKSTEP_RECONCILE_PAGE_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 10_000) : 500;
}
const INSERT_CHUNK = 2000;

export type RunOptions = { pageSize?: number; env?: NodeJS.ProcessEnv; log?: (line: string) => void };
export type RunOutcome = { status: "done" | "failed" | "skipped"; error?: string };

async function loadSystem(db: Db, systemId: number): Promise<WorkedSystem | null> {
  const [row] = await queryRows(
    db,
    sql`SELECT ${systemColumns("s")} FROM systems s WHERE s.id = ${systemId}`,
    systemRow,
  );
  return row ? systemFromRow(row) : null;
}

function primaryEmail(u: ScimListedUser): string | null {
  const emails = u.emails ?? [];
  return (emails.find((e) => e.primary) ?? emails.find((e) => e.type === "work") ?? emails[0])?.value ?? null;
}

async function chunked<T>(rows: T[], insert: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

/**
 * Reads every page of a resource into the run's staging rows, reporting progress on the run row as it goes.
 * Each page's rows are committed on their own (the reading is outside any transaction, like every connector call);
 * nothing outside the staging rows and the run's counters changes until the apply.
 */
async function readAll<R extends "Users" | "Groups">(
  db: Db,
  runId: number,
  connector: ScimConnector,
  resource: R,
  pageSize: number,
  stage: (items: (R extends "Users" ? ScimListedUser : ScimListedGroup)[]) => Promise<void>,
): Promise<void> {
  let startIndex = 1;
  let read = 0;
  for (;;) {
    const page = await connector.listPage(resource, startIndex, pageSize);
    await stage(page.resources);
    read += page.resources.length;
    const progress =
      resource === "Users"
        ? { usersRead: read, usersTotal: page.totalResults }
        : { groupsRead: read, groupsTotal: page.totalResults };
    await db.update(reconciliationRuns).set(progress).where(eq(reconciliationRuns.id, runId));
    if (page.resources.length === 0 || read >= page.totalResults) return;
    startIndex += page.resources.length;
  }
}

/**
 * One reconciliation run, as its job: claim the queued run, read the system's Users and Groups page by page into
 * staging, then apply it to the inventory in one transaction with one audit event (and its outbox row). A failure
 * while reading or applying leaves the inventory as it was: the run is `failed` with the reason, its staging gone.
 */
export async function runReconciliation(
  db: Db,
  runId: number,
  now: () => Date,
  opts: RunOptions = {},
): Promise<RunOutcome> {
  const [run] = await db
    .update(reconciliationRuns)
    .set({ status: "running", startedAt: now() })
    .where(and(eq(reconciliationRuns.id, runId), eq(reconciliationRuns.status, "queued")))
    .returning({ systemId: reconciliationRuns.systemId, requestedByLabel: reconciliationRuns.requestedByLabel });
  if (!run) return { status: "skipped" };
  const actor = { ...SYSTEM_ACTOR, name: `reconciliation (${run.requestedByLabel})` };
  const system = await loadSystem(db, run.systemId);
  const pageSize = opts.pageSize ?? pageSizeOf(opts.env ?? process.env);
  const started = performance.now();
  try {
    if (system?.kind !== "scim" || system.simulated) throw new Error("The system no longer has a real SCIM connector.");
    const connector = new ScimConnector(system, opts.env);
    await readAll(db, runId, connector, "Users", pageSize, (users) =>
      chunked(
        users.filter((u) => u.id),
        (part) =>
          db
            .insert(reconciliationStagedUsers)
            .values(
              part.map((u) => ({
                runId,
                remoteId: u.id,
                userName: u.userName ?? u.id,
                externalId: u.externalId ?? null,
                email: primaryEmail(u),
                displayName: u.displayName ?? null,
                active: u.active !== false,
              })),
            )
            .onConflictDoNothing(),
      ),
    );
    await readAll(db, runId, connector, "Groups", pageSize, async (groups) => {
      const named = groups.filter((g) => g.id && g.displayName);
      await chunked(named, (part) =>
        db
          .insert(reconciliationStagedGroups)
          .values(part.map((g) => ({ runId, remoteId: g.id, displayName: g.displayName! })))
          .onConflictDoNothing(),
      );
      const members = named.flatMap((g) =>
        (g.members ?? []).filter((m) => m.value).map((m) => ({ runId, groupRemoteId: g.id, userRemoteId: m.value })),
      );
      await chunked(members, (part) => db.insert(reconciliationStagedMembers).values(part).onConflictDoNothing());
    });

    const readDone = performance.now();
    opts.log?.(`run ${runId}: read in ${((readDone - started) / 1000).toFixed(1)} s`);
    const at = now();
    await transact(makeCtx(actor, db, at), async (tx) => {
      const { driftTasks, leaverCases, ...applied } = await applyStaged(
        tx.db,
        { id: runId, systemId: run.systemId },
        at,
      );
      // Leavers' accounts the case never knew about get their revocation tasks (and a closed case reopens).
      const covered = await coverDiscoveredAccess(tx, leaverCases, { runId, system: system.name });
      const counts = { ...applied, leaverTasksAdded: covered.tasks, casesReopened: covered.reopened.length };
      await tx.db
        .update(reconciliationRuns)
        .set({ status: "done", counts, finishedAt: at })
        .where(eq(reconciliationRuns.id, runId));
      if (driftTasks.length) {
        await enqueueJobs(tx.db, [
          { name: DRIFT_JOB, payload: {}, key: "remediation.drift_watch:reconciliation", runAt: at },
        ]);
      }
      await writeAudit(tx, {
        action: "reconciliation.apply",
        target: { type: "system", id: run.systemId, label: system.name },
        after: counts,
        metadata: { runId, driftTasks },
      });
    });
    opts.log?.(`run ${runId}: applied in ${((performance.now() - readDone) / 1000).toFixed(1)} s`);
    return { status: "done" };
  } catch (err) {
    const error = (err as Error).message.slice(0, 500);
    await transact(makeCtx(actor, db, now()), async (tx) => {
      await deleteStaged(tx.db, runId);
      await tx.db
        .update(reconciliationRuns)
        .set({ status: "failed", error, finishedAt: tx.now })
        .where(eq(reconciliationRuns.id, runId));
      await writeAudit(tx, {
        action: "reconciliation.fail",
        target: { type: "system", id: run.systemId, label: system?.name ?? null },
        after: { error },
        metadata: { runId },
      });
    });
    return { status: "failed", error };
  }
}
