import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { idParam } from "@/lib/input";
import { batchProgress } from "@/lib/leavers/batch";

/** Polled by the batch page (TanStack Query) for live progress. */
export const GET = defineRoute({
  name: "leaver.batch_progress",
  permission: "leavers.read",
  params: z.object({ id: idParam }),
  async handler({ ctx, params: { id } }) {
    return Response.json(await batchProgress(ctx, id), { headers: { "cache-control": "no-store" } });
  },
});
