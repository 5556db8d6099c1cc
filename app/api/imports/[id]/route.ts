import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { Invalid, toFailure } from "@/lib/errors";
import { getRun, ingest, TooLarge } from "@/lib/imports";
import { idParam } from "@/lib/input";

const noStore = { "cache-control": "no-store" };
const params = z.object({ id: idParam });

/** A run's status and counters, polled by the import pages (TanStack Query) while a big file is read. */
export const GET = defineRoute({
  name: "import.progress",
  permission: "imports.run",
  params,
  async handler({ ctx, params: { id } }) {
    return Response.json(await getRun(ctx, { runId: id }), { headers: noStore });
  },
});

/**
 * The run's file as the raw request body, read as it arrives (no `body` schema: the edge must not buffer it):
 * parsed, checked and stored batch by batch while GET reports progress. Answers with the previewed run; 413
 * when the file is over the kind's limit.
 */
export const PUT = defineRoute({
  name: "import.upload",
  permission: "imports.run",
  params,
  async handler({ ctx, request, params: { id } }) {
    if (!request.body) throw new Invalid("The upload has no file.");
    const declared = request.headers.get("content-length");
    try {
      const run = await ingest(ctx, {
        runId: id,
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
