import { parseInput } from "@/lib/edge";
import { Invalid } from "@/lib/errors";
import { startInput, startRun } from "@/lib/imports";
import { defineRoute } from "@/lib/route";

/**
 * Starts an import run: `{ kind, fileName, params }` → 201 with the run. The file follows as the body of
 * `PUT /api/imports/<id>`, streamed (server actions cap bodies at 1 MB and buffer them whole).
 */
export const POST = defineRoute({
  name: "import.start",
  permission: "imports.run",
  async handler({ ctx, request }) {
    const body = await request.json().catch(() => {
      throw new Invalid("Send the import as JSON: { kind, fileName, params }.");
    });
    const run = await startRun(ctx, { ...parseInput(startInput, body), source: "ui" });
    return Response.json(run, { status: 201, headers: { "cache-control": "no-store" } });
  },
});
