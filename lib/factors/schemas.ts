import { z } from "zod";
import { pageParams } from "@/lib/pagination";
import { OUTCOMES } from "./what-if";

/** A delivery channel as stored on authenticators: 'sms', 'voice', 'email', 'push:<provider>'. */
const channelParam = z
  .string()
  .trim()
  .max(64)
  .regex(/^[a-z0-9]+(?::[a-z0-9._-]+)?$/)
  .optional()
  .catch(undefined);

/** The heatmap page's switches, all in the URL; anything unknown falls back to the default view. */
export const heatmapParams = z.object({
  view: z.enum(["departments", "systems", "what-if"]).catch("departments"),
  mode: z.enum(["effective", "primary"]).catch("effective"),
  privileged: z
    .enum(["1"])
    .optional()
    .catch(undefined)
    .transform((v) => v === "1"),
  channel: channelParam,
});
export type HeatmapParams = z.infer<typeof heatmapParams>;

/**
 * Which people a heatmap cell (or a what-if figure) stands for. `department` 0 is the "No department" row;
 * a department includes everyone below it in the tree.
 */
export const cellFilters = z
  .object({
    department: z.coerce.number().int().min(0).optional(),
    system: z.coerce.number().int().positive().optional(),
    strength: z.coerce.number().int().min(0).max(5).optional(),
    mode: z.enum(["effective", "primary"]).default("effective"),
    privileged: z
      .enum(["1"])
      .optional()
      .transform((v) => v === "1"),
    channel: channelParam,
    outcome: z.enum(OUTCOMES).optional(),
  })
  .refine((f) => !f.outcome || f.channel, { message: "An outage outcome needs a channel.", path: ["outcome"] });
export type CellFilters = z.infer<typeof cellFilters>;

export const cellPeopleInput = z.intersection(cellFilters, pageParams);
export type CellPeopleInput = z.infer<typeof cellPeopleInput>;
