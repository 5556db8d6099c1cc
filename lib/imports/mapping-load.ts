import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { importMappings } from "@/db/schema";
import { NotFound } from "@/lib/errors";
import { type ColumnMapping, columnMapping, mappingName } from "./mapping";

/** The params every mapped kind takes: a saved mapping or preset by source name, and/or columns given inline. */
export const mappingParams = {
  mapping: mappingName.optional(),
  columns: columnMapping.optional(),
};

/**
 * The columns a run reads: inline `columns` over the named mapping — one saved for the kind, else a built-in
 * preset — over nothing (fields found by their own names). A name that is neither is NotFound.
 */
export async function loadMapping(
  db: Db,
  kind: string,
  params: { mapping?: string; columns?: ColumnMapping },
  presets: Readonly<Record<string, ColumnMapping>> = {},
): Promise<ColumnMapping> {
  let base: ColumnMapping = {};
  if (params.mapping) {
    const [saved] = await db
      .select({ fields: importMappings.fields })
      .from(importMappings)
      .where(and(eq(importMappings.kind, kind), sql`lower(${importMappings.source}) = lower(${params.mapping})`));
    const preset = Object.entries(presets).find(([name]) => name.toLowerCase() === params.mapping!.toLowerCase());
    if (saved) base = z.record(z.string(), z.string()).parse(saved.fields);
    else if (preset) base = preset[1];
    else throw new NotFound(`The column mapping "${params.mapping}"`);
  }
  return { ...base, ...(params.columns ?? {}) };
}
