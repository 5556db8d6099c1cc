import { verifyAuditChain } from "@/lib/audit/verify";
import { authorize } from "@/lib/authz";
import { defineRoute } from "@/lib/edge/route";

/** Walks the whole chain; the Audit page polls it through TanStack Query. */
export const GET = defineRoute({
  name: "audit.verify",
  permission: "audit.read",
  async handler({ ctx }) {
    authorize(ctx.actor, "audit.read");
    const started = Date.now();
    const result = await verifyAuditChain(ctx.db);
    return Response.json(
      { ...result, verifiedAt: new Date().toISOString(), ms: Date.now() - started },
      { headers: { "cache-control": "no-store" } },
    );
  },
});
