import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { identities, reconciliationFindings, reconciliationRuns, systems } from "@/db/schema";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { keysetCondition, keysetOrder, toPage } from "@/lib/pagination";
import type { FindingsInput } from "./schemas";

const runColumns = {
  id: reconciliationRuns.id,
  systemId: reconciliationRuns.systemId,
  status: reconciliationRuns.status,
  trigger: reconciliationRuns.trigger,
  requestedBy: reconciliationRuns.requestedByLabel,
  usersRead: reconciliationRuns.usersRead,
  usersTotal: reconciliationRuns.usersTotal,
  groupsRead: reconciliationRuns.groupsRead,
  groupsTotal: reconciliationRuns.groupsTotal,
  counts: reconciliationRuns.counts,
  error: reconciliationRuns.error,
  createdAt: reconciliationRuns.createdAt,
  startedAt: reconciliationRuns.startedAt,
  finishedAt: reconciliationRuns.finishedAt,
};

/** The system a reconciliation page is about, with whether it can be reconciled at all. */
export async function reconciliationSystem(ctx: Ctx, systemId: number) {
  authorize(ctx.actor, "systems.read");
  const [s] = await ctx.db
    .select({
      id: systems.id,
      name: systems.name,
      connectorKind: systems.connectorKind,
      simulated: systems.connectorSimulated,
    })
    .from(systems)
    .where(eq(systems.id, systemId));
  if (!s) throw new NotFound("That system");
  return { ...s, reconcilable: s.connectorKind === "scim" && !s.simulated };
}

/** The last runs of a system, newest first. */
export async function listRuns(ctx: Ctx, systemId: number, limit = 20) {
  authorize(ctx.actor, "systems.read");
  return ctx.db
    .select(runColumns)
    .from(reconciliationRuns)
    .where(eq(reconciliationRuns.systemId, systemId))
    .orderBy(desc(reconciliationRuns.id))
    .limit(limit);
}
export type RunRow = Awaited<ReturnType<typeof listRuns>>[number];

/** One run's state and progress (the page polls it while the run waits or reads). */
export async function getRun(ctx: Ctx, runId: number): Promise<RunRow> {
  authorize(ctx.actor, "systems.read");
  const [run] = await ctx.db.select(runColumns).from(reconciliationRuns).where(eq(reconciliationRuns.id, runId));
  if (!run) throw new NotFound("That reconciliation run");
  return run;
}

const keys = [sql`lower(${reconciliationFindings.userName})`, sql`${reconciliationFindings.id}`];

/** A run's findings of one kind (the latest finished run unless one is named), keyset-paged by userName. */
export async function listFindings(ctx: Ctx, input: FindingsInput) {
  authorize(ctx.actor, "systems.read");
  const runId =
    input.run ??
    (
      await ctx.db
        .select({ id: reconciliationRuns.id })
        .from(reconciliationRuns)
        .where(and(eq(reconciliationRuns.systemId, input.systemId), eq(reconciliationRuns.status, "done")))
        .orderBy(desc(reconciliationRuns.id))
        .limit(1)
    )[0]?.id;
  if (runId === undefined) return { runId: null, items: [], next: null, prev: null };
  const rows = await ctx.db
    .select({
      id: reconciliationFindings.id,
      remoteId: reconciliationFindings.remoteId,
      userName: reconciliationFindings.userName,
      email: reconciliationFindings.email,
      externalId: reconciliationFindings.externalId,
      displayName: reconciliationFindings.displayName,
      accountId: reconciliationFindings.accountId,
      identityId: reconciliationFindings.identityId,
      person: identities.displayName,
      caseId: reconciliationFindings.caseId,
      nameKey: sql<string>`lower(${reconciliationFindings.userName})`,
    })
    .from(reconciliationFindings)
    .innerJoin(reconciliationRuns, eq(reconciliationRuns.id, reconciliationFindings.runId))
    .leftJoin(identities, eq(identities.id, reconciliationFindings.identityId))
    .where(
      and(
        eq(reconciliationFindings.runId, runId),
        eq(reconciliationRuns.systemId, input.systemId),
        eq(reconciliationFindings.kind, input.kind),
        keysetCondition(input, keys, ["text", "int8"], "asc"),
      ),
    )
    .orderBy(keysetOrder(input, keys, "asc"))
    .limit(input.limit + 1);
  const page = toPage(rows, input, (r) => [r.nameKey, r.id]);
  return { runId, ...page };
}
