import { z } from "zod";
import { idField } from "@/lib/input";

const runId = idField;

export const startInput = z.object({
  kind: z.string().trim().min(1).max(60),
  fileName: z.string().trim().min(1).max(200).nullish(),
  params: z.unknown().optional(),
});

export const runInput = z.object({ runId });

const rowFilter = z.enum(["all", "ok", "error", "skipped", "not_ok"]);
export const rowsInput = z.object({
  runId,
  filter: rowFilter.default("all"),
  /** Keyset: the last `seq` of the previous page. */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const confirmInput = z.object({
  runId,
  digest: z.string().regex(/^[0-9a-f]{64}$/, "Not a file digest."),
  options: z.unknown().optional(),
});
