import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { allPages } from "@/lib/csv";
import { listFindings } from "./queries";
import type { FindingsInput } from "./schemas";

export const FINDINGS_CSV_HEADER = [
  "run_id",
  "kind",
  "remote_id",
  "user_name",
  "email",
  "external_id",
  "display_name",
  "account_id",
  "identity_id",
  "person",
  "leaver_case_id",
];

export async function* findingsCsvRows(ctx: Ctx, input: FindingsInput): AsyncGenerator<unknown[]> {
  authorize(ctx.actor, "systems.read");
  // The run is pinned by the first page, so a run finishing during the download does not mix two runs.
  let run = input.run;
  for await (const f of allPages(async (after) => {
    const page = await listFindings(ctx, { ...input, run, after, before: undefined, limit: 500 });
    run = page.runId ?? undefined;
    return { items: page.items.map((i) => ({ ...i, runId: page.runId })), next: page.next };
  })) {
    yield [
      f.runId,
      input.kind,
      f.remoteId,
      f.userName,
      f.email,
      f.externalId,
      f.displayName,
      f.accountId,
      f.identityId,
      f.person,
      f.caseId,
    ];
  }
}
