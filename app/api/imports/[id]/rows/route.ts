import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { listRows, rowsInput } from "@/lib/imports";
import { idParam } from "@/lib/input";

/** One page of a run's rows in file order: `?filter=all|ok|error|skipped|not_ok&after=<seq>&limit=`. */
export const GET = defineRoute({
  name: "import.rows",
  permission: "imports.run",
  params: z.object({ id: idParam }),
  query: rowsInput.omit({ runId: true }),
  async handler({ ctx, params: { id }, query }) {
    return Response.json(await listRows(ctx, { ...query, runId: id }), { headers: { "cache-control": "no-store" } });
  },
});
