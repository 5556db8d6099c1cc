import { configuredCheckpoints } from "@/lib/audit/checkpoint";
import { verifyAuditChain } from "@/lib/audit/verify";
import { authorize } from "@/lib/authz";
import { defineRoute } from "@/lib/edge/route";

/** Walks the whole chain, held against the signed checkpoints when a key is set; the Audit page polls it. */
export const GET = defineRoute({
  name: "audit.verify",
  permission: "audit.read",
  async handler({ ctx }) {
    authorize(ctx.actor, "audit.read");
    const started = Date.now();
    const { key, note, valid, problems } = await configuredCheckpoints();
    const result = await verifyAuditChain(ctx.db, { checkpoints: valid });
    return Response.json(
      {
        ...result,
        signedBy: key?.keyId ?? null,
        checkpointNote: note,
        // Lines of the checkpoint file the key did not sign: someone wrote into it.
        checkpointProblems: problems,
        verifiedAt: new Date().toISOString(),
        ms: Date.now() - started,
      },
      { headers: { "cache-control": "no-store" } },
    );
  },
});
