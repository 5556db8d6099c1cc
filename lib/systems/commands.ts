import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { systems } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { probeConnection } from "@/lib/connectors";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { loadEligiblePerson } from "@/lib/people/eligible";
import { loadSystemSettings } from "./queries";
import { type CreateSystemInput, configFor, slugOf, type systemIdInput, type UpdateSystemInput } from "./schemas";

type Fields = Omit<CreateSystemInput, "slug">;

/** The columns a form sets; the connector settings keep only what the kind uses (never a secret: its env name). */
function columns(v: Fields) {
  return {
    name: v.name,
    category: v.category,
    criticality: v.criticality,
    ownerId: v.ownerId,
    description: v.description ?? null,
    connectorKind: v.connectorKind,
    connectorConfig: configFor(v.connectorKind, v),
    connectorSimulated: v.connectorKind === "manual" ? false : v.simulated,
    deprovisionMode: v.deprovisionMode,
    maxConcurrency: v.maxConcurrency,
  };
}

async function checkOwner(tx: Ctx, ownerId: number | null) {
  if (ownerId === null) return;
  if (!(await loadEligiblePerson(tx.db, ownerId)))
    throw new Invalid("The owner must be an active person.", { ownerId: ["Choose an active person."] });
}

async function nameFree(tx: Ctx, name: string, except?: number) {
  const [clash] = await tx.db.select({ id: systems.id }).from(systems).where(eq(systems.name, name));
  if (clash && clash.id !== except) throw new Conflict(`A system named "${name}" already exists.`);
}

/** Connects a system: its kind, criticality, owner and connector settings. Audited with what was set. */
export async function createSystem(ctx: Ctx, input: CreateSystemInput) {
  authorize(ctx.actor, "systems.manage");
  return transact(ctx, async (tx) => {
    await checkOwner(tx, input.ownerId);
    await nameFree(tx, input.name);
    const slug = input.slug ?? slugOf(input.name);
    const [taken] = await tx.db.select({ id: systems.id }).from(systems).where(eq(systems.slug, slug));
    if (taken) throw new Conflict(`The slug "${slug}" is taken: choose another.`);
    const values = columns(input);
    const [made] = await tx.db
      .insert(systems)
      .values({ ...values, slug, createdAt: tx.now })
      .returning({ id: systems.id });
    await writeAudit(tx, {
      action: "system.create",
      target: { type: "system", id: made.id, label: input.name },
      after: { slug, ...values },
    });
    return { systemId: made.id, slug };
  });
}

/**
 * Changes a system's settings. Tasks already requested keep their mode; new ones follow the new connector. Audited
 * with the settings before and after.
 */
export async function updateSystem(ctx: Ctx, input: UpdateSystemInput) {
  authorize(ctx.actor, "systems.manage");
  return transact(ctx, async (tx) => {
    const before = await loadSystemSettings(tx, input.systemId, { lock: true });
    if (!before) throw new NotFound("The system");
    await checkOwner(tx, input.ownerId);
    await nameFree(tx, input.name, input.systemId);
    const values = columns(input);
    await tx.db.update(systems).set(values).where(eq(systems.id, input.systemId));
    const { id: _id, slug: _slug, ownerName: _owner, ...was } = before;
    await writeAudit(tx, {
      action: "system.update",
      target: { type: "system", id: input.systemId, label: input.name },
      before: was,
      after: values,
    });
    return { systemId: input.systemId };
  });
}

/**
 * "Test connection" with the saved settings: calls the target (no change there, see probeConnection) outside any
 * transaction, then records that it was called and what it answered (status, latency; never a secret).
 */
export async function testConnection(ctx: Ctx, input: z.infer<typeof systemIdInput>) {
  authorize(ctx.actor, "systems.manage");
  const s = await loadSystemSettings(ctx, input.systemId);
  if (!s) throw new NotFound("The system");
  const result = await probeConnection({
    id: s.id,
    slug: s.slug,
    name: s.name,
    kind: s.connectorKind,
    config: s.connectorConfig,
    simulated: s.connectorSimulated,
    deprovisionMode: s.deprovisionMode,
  });
  await transact(ctx, (tx) =>
    writeAudit(tx, {
      action: "system.test_connection",
      target: { type: "system", id: s.id, label: s.name },
      after: {
        outcome: result.outcome,
        steps: result.steps.map((st) => ({ call: st.call, status: st.status, latencyMs: st.latencyMs, ok: st.ok })),
      },
    }),
  );
  return { ...result, testedAt: ctx.now.toISOString() };
}
