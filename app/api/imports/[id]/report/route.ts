import { z } from "zod";
import { exportCsv } from "@/lib/audit/internal";
import { defineRoute } from "@/lib/edge/route";
import { NOT_IMPORTED_CSV_HEADER, notImportedCsvRows } from "@/lib/imports";
import { idParam } from "@/lib/input";

/** An import's error report as CSV: every row not imported (errors, duplicates, skips), in file order. */
export const GET = defineRoute({
  name: "import.report",
  permission: "imports.run",
  rateLimit: "export",
  params: z.object({ id: idParam }),
  async handler({ ctx, params: { id } }) {
    const rows = await notImportedCsvRows(ctx, id);
    return exportCsv(ctx, {
      event: "import.report",
      file: `import-${id}-rows-not-imported.csv`,
      filters: { runId: id },
      header: NOT_IMPORTED_CSV_HEADER,
      rows,
    });
  },
});
