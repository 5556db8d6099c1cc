import { z } from "zod";
import { checkpointFeed } from "@/lib/audit/checkpoint";
import { defineRoute } from "@/lib/edge/route";

/**
 * The checkpoint feed for external monitors: a bearer token of an `audit_monitor` machine client
 * (`npm run scim:token -- --kind audit_monitor --name <monitor>`), which may read this and nothing else.
 */
export const GET = defineRoute({
  name: "audit.checkpoints",
  permission: "audit.checkpoints",
  actors: "machine",
  query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
  async handler({ query }) {
    return Response.json(await checkpointFeed(query.limit), { headers: { "cache-control": "no-store" } });
  },
});
