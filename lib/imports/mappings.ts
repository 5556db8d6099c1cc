import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { importMappings } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Invalid } from "@/lib/errors";
import { type ColumnMapping, columnMapping, type MappingField, mappingName } from "./mapping";
import { kindOf } from "./registry";

export const mappingsInput = z.object({ kind: z.string().trim().min(1).max(60) });
export const saveMappingInput = z.object({
  kind: z.string().trim().min(1).max(60),
  source: mappingName,
  fields: columnMapping,
});

export type MappingChoice = { source: string; fields: ColumnMapping; preset: boolean; updatedAt: string | null };
export type KindMappings = { fields: readonly MappingField[]; mappings: MappingChoice[] };

function mappedKind(name: string) {
  const kind = kindOf(name);
  if (!kind.mapping) throw new Invalid(`The ${kind.label} has no column mapping.`);
  return { kind, mapping: kind.mapping };
}

/** A mapped kind's fields, its built-in presets and the mappings saved for it (the import page's choices). */
export async function listMappings(ctx: Ctx, input: z.output<typeof mappingsInput>): Promise<KindMappings> {
  authorize(ctx.actor, "imports.run");
  const { kind, mapping } = mappedKind(input.kind);
  authorize(ctx.actor, kind.permission);
  const saved = await ctx.db
    .select()
    .from(importMappings)
    .where(eq(importMappings.kind, kind.kind))
    .orderBy(asc(sql`lower(${importMappings.source})`));
  const savedNames = new Set(saved.map((s) => s.source.toLowerCase()));
  return {
    fields: mapping.fields,
    mappings: [
      ...Object.entries(mapping.presets ?? {})
        .filter(([name]) => !savedNames.has(name.toLowerCase()))
        .map(([source, fields]) => ({ source, fields, preset: true, updatedAt: null })),
      ...saved.map((s) => ({
        source: s.source,
        fields: z.record(z.string(), z.string()).parse(s.fields),
        preset: false,
        updatedAt: s.updatedAt.toISOString(),
      })),
    ],
  };
}

/**
 * Saves the column mapping of one source for a kind (creates it, or replaces the one of the same name — a preset's
 * name too, which then wins over the preset). Only the kind's fields may be mapped. Audited.
 */
export async function saveMapping(ctx: Ctx, input: z.output<typeof saveMappingInput>): Promise<MappingChoice> {
  authorize(ctx.actor, "imports.run");
  const { kind, mapping } = mappedKind(input.kind);
  authorize(ctx.actor, kind.permission);
  const known = new Set(mapping.fields.map((f) => f.name));
  const unknown = Object.keys(input.fields).filter((f) => !known.has(f));
  if (unknown.length) throw new Invalid(`The ${kind.label} has no field ${unknown.join(", ")}.`);
  return transact(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(importMappings)
      .where(sql`${importMappings.kind} = ${kind.kind} AND lower(${importMappings.source}) = lower(${input.source})`);
    const values = {
      source: input.source,
      fields: input.fields,
      updatedById: tx.actor.id,
      updatedByLabel: tx.actor.name,
      updatedAt: tx.now,
    };
    // Two savers of a new name at once: the unique index refuses the second (a Conflict to retry), never a duplicate.
    const [row] = before
      ? await tx.db.update(importMappings).set(values).where(eq(importMappings.id, before.id)).returning()
      : await tx.db
          .insert(importMappings)
          .values({ ...values, kind: kind.kind, createdAt: tx.now })
          .returning();
    await writeAudit(tx, {
      action: "import.mapping_save",
      target: { type: "import_mapping", id: row.id, label: `${kind.label}: ${row.source}` },
      before: before ? { fields: before.fields } : null,
      after: { kind: kind.kind, source: row.source, fields: input.fields },
    });
    return { source: row.source, fields: input.fields, preset: false, updatedAt: row.updatedAt.toISOString() };
  });
}
