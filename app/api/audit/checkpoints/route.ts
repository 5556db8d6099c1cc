import { z } from "zod";
import { checkpointFeed } from "@/lib/audit/checkpoint";
import { defineRoute } from "@/lib/edge/route";

/**
 * The signed checkpoints of the audit chain, newest last, with the public key that verifies them, for console users
 * holding `audit.read` (throttled like an export). External monitors poll the same feed with a machine token at
 * `/api/audit/checkpoints/feed`, so a later cut or rewrite of the chain cannot also erase the proof.
 */
export const GET = defineRoute({
  name: "audit.checkpoints",
  permission: "audit.read",
  rateLimit: "export",
  query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
  async handler({ query }) {
    return Response.json(await checkpointFeed(query.limit), { headers: { "cache-control": "no-store" } });
  },
});
