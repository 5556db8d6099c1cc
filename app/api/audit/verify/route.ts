import { checkpointFile, readCheckpoints } from "@/lib/audit/checkpoint";
import { verifyKeyFrom } from "@/lib/audit/checkpoint-key";
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
    const key = verifyKeyFrom();
    const checkpoints = key ? (await readCheckpoints(checkpointFile(), key)).valid : [];
    const result = await verifyAuditChain(ctx.db, { checkpoints });
    return Response.json(
      { ...result, signedBy: key?.keyId ?? null, verifiedAt: new Date().toISOString(), ms: Date.now() - started },
      { headers: { "cache-control": "no-store" } },
    );
  },
});
