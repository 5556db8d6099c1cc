import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { credentialHandles } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import type { ConnectorSystem } from "@/lib/connectors";
import { storeHandle } from "@/lib/connectors/handles";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import type { registerHandleInput } from "../schemas";
import { loadTarget } from "./load";

/**
 * Registers (or replaces) what Lockstep needs to act on a credential at its issuer, sealed like every handle
 * (lib/connectors/handles.ts): the token itself, so it can be revoked with RFC 7009 and checked with RFC 7662, or an
 * OAuth client's RFC 7592 registration, so the client can be reduced, deleted or given a new secret without any of
 * its tokens. The audit event and the answer say which kind and when, never the value.
 */
export async function registerHandle(ctx: Ctx, input: z.output<typeof registerHandleInput>) {
  authorize(ctx.actor, "api_scopes.handles");
  return transact(ctx, async (tx) => {
    const t = await loadTarget(tx, input.credentialId, { lock: true });
    if (t.status !== "active") throw new Conflict(`This credential is ${t.status}: there is nothing left to revoke.`);
    if (t.system.kind !== "oauth") {
      throw new Conflict(
        `${t.system.name} is connected as ${t.system.kind}, not OAuth 2.0: Lockstep would never use a handle there.`,
      );
    }
    if (input.kind === "registration") {
      if (t.kind !== "oauth_client")
        throw new Invalid("Only an OAuth client has an RFC 7592 registration.", { kind: ["Not an OAuth client"] });
      checkOrigin(t.system, input.registrationClientUri);
    }
    const [before] = await tx.db
      .select({ kind: credentialHandles.kind, at: credentialHandles.createdAt })
      .from(credentialHandles)
      .where(eq(credentialHandles.credentialId, t.id));
    await storeHandle(
      tx.db,
      t.id,
      input.kind === "token"
        ? { kind: "token", token: input.token, hint: input.tokenTypeHint }
        : {
            kind: "registration",
            registrationClientUri: input.registrationClientUri,
            registrationAccessToken: input.registrationAccessToken,
          },
    );
    await writeAudit(tx, {
      action: "api_scope.register_handle",
      target: { type: "credential", id: t.id, label: t.name },
      before: before ? { kind: before.kind, registeredAt: before.at.toISOString() } : { kind: null },
      after: { kind: input.kind, ...(input.kind === "token" ? { tokenTypeHint: input.tokenTypeHint } : {}) },
      metadata: { system: t.system.slug, replaced: Boolean(before) },
    });
    return { kind: input.kind, replaced: Boolean(before) };
  });
}

/**
 * The registration access token is sent to the client configuration URI, so that URI must belong to the issuer
 * an administrator connected (the origin of one of its OAuth endpoints), never somewhere else.
 */
function checkOrigin(system: ConnectorSystem, uri: string): void {
  const { tokenEndpoint, revocationEndpoint, introspectionEndpoint } = system.config;
  const origins = new Set(
    [tokenEndpoint, revocationEndpoint, introspectionEndpoint].flatMap((u) =>
      u && URL.canParse(u) ? [new URL(u).origin] : [],
    ),
  );
  if (origins.size === 0) {
    throw new Conflict(`${system.name} has no OAuth endpoints configured: connect the system first.`);
  }
  if (!origins.has(new URL(uri).origin)) {
    throw new Invalid(
      `The client configuration URI is not on ${system.name}'s authorization server (${[...origins].join(", ")}).`,
      {
        registrationClientUri: ["Not on the issuer's authorization server"],
      },
    );
  }
}
