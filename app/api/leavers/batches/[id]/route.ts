import { z } from "zod";
import { parseInput } from "@/lib/edge";
import { batchProgress } from "@/lib/leavers/batch";
import { defineRoute } from "@/lib/route";

/** Polled by the batch page (TanStack Query) for live progress. */
export const GET = defineRoute<{ id: string }>({
  name: "leaver.batch_progress",
  permission: "leavers.read",
  async handler({ ctx, params }) {
    const { id } = parseInput(z.object({ id: z.coerce.number().int().positive() }), params);
    return Response.json(await batchProgress(ctx, id), { headers: { "cache-control": "no-store" } });
  },
});
