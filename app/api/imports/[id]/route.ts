import { parseInput } from "@/lib/edge";
import { Invalid, toFailure } from "@/lib/errors";
import { getRun, ingest, runInput, TooLarge } from "@/lib/imports";
import { defineRoute } from "@/lib/route";

const noStore = { "cache-control": "no-store" };

/** A run's status and counters, polled by the import pages (TanStack Query) while a big file is read. */
export const GET = defineRoute<{ id: string }>({
  name: "import.progress",
  permission: "imports.run",
  async handler({ ctx, params }) {
    const input = parseInput(runInput, { runId: params.id });
    return Response.json(await getRun(ctx, input), { headers: noStore });
  },
});

/**
 * The run's file as the raw request body, read as it arrives: parsed, checked and stored batch by batch while
 * GET reports progress. Answers with the previewed run; 413 when the file is over the kind's limit.
 */
export const PUT = defineRoute<{ id: string }>({
  name: "import.upload",
  permission: "imports.run",
  async handler({ ctx, request, params }) {
    const { runId } = parseInput(runInput, { runId: params.id });
    if (!request.body) throw new Invalid("The upload has no file.");
    const declared = request.headers.get("content-length");
    try {
      const run = await ingest(ctx, {
        runId,
        body: request.body as unknown as AsyncIterable<Uint8Array>,
        size: declared === null ? undefined : Number(declared),
      });
      return Response.json(run, { headers: noStore });
    } catch (err) {
      if (err instanceof TooLarge) return Response.json(toFailure(err), { status: 413, headers: noStore });
      throw err;
    }
  },
});
