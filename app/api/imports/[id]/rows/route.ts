import { parseInput } from "@/lib/edge";
import { listRows, rowsInput } from "@/lib/imports";
import { defineRoute } from "@/lib/route";

/** One page of a run's rows in file order: `?filter=all|ok|error|skipped|not_ok&after=<seq>&limit=`. */
export const GET = defineRoute<{ id: string }>({
  name: "import.rows",
  permission: "imports.run",
  async handler({ ctx, request, params }) {
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const input = parseInput(rowsInput, { ...query, runId: params.id });
    return Response.json(await listRows(ctx, input), { headers: { "cache-control": "no-store" } });
  },
});
