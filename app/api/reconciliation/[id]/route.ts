import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { getRun } from "@/lib/reconciliation/queries";

/** Polled by the reconciliation page (TanStack Query) while a run waits or reads. */
export const GET = defineRoute({
  name: "reconciliation.progress",
  permission: "systems.read",
  params: z.object({
    id: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1),
  }),
  async handler({ ctx, params: { id } }) {
    return Response.json(await getRun(ctx, id), { headers: { "cache-control": "no-store" } });
  },
});
