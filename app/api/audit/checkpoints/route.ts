import { z } from "zod";
import { configuredCheckpoints } from "@/lib/audit/checkpoint";
import { publicKeyPem } from "@/lib/audit/checkpoint-key";
import { authorize } from "@/lib/authz";
import { defineRoute } from "@/lib/edge/route";

/**
 * The signed checkpoints of the audit chain, newest last, with the public key that verifies them: what an external
 * monitor polls and keeps, so a later cut or rewrite of the chain cannot also erase the proof. Read from the
 * checkpoint file, never from the database. For holders of `audit.read`, throttled like an export.
 */
export const GET = defineRoute({
  name: "audit.checkpoints",
  permission: "audit.read",
  rateLimit: "export",
  query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
  async handler({ ctx, query }) {
    authorize(ctx.actor, "audit.read");
    const log = await configuredCheckpoints();
    const { key, note } = log;
    const headers = { "cache-control": "no-store" };
    if (!key) return Response.json({ enabled: false, note, checkpoints: [] }, { headers });
    return Response.json(
      {
        enabled: true,
        note,
        keyId: key.keyId,
        publicKey: publicKeyPem(key),
        // Lines in the file the key did not sign: someone wrote into it.
        problems: log.problems,
        checkpoints: log.valid.slice(-query.limit),
      },
      { headers },
    );
  },
});
