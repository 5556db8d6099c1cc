import { defineRoute } from "@/lib/edge/route";
import { startInput, startRun } from "@/lib/imports";

/**
 * Starts an import run: `{ kind, fileName, params }` → 201 with the run. The file follows as the body of
 * `PUT /api/imports/<id>`, streamed (server actions cap bodies at 1 MB and buffer them whole).
 */
export const POST = defineRoute({
  name: "import.start",
  permission: "imports.run",
  rateLimit: "import",
  body: startInput,
  async handler({ ctx, body }) {
    const run = await startRun(ctx, { ...body, source: "ui" });
    return Response.json(run, { status: 201, headers: { "cache-control": "no-store" } });
  },
});
