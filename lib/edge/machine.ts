import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { machineClients } from "@/db/schema";
import { type MachineActor, machineActor } from "@/lib/authz";

/** Turns a request's credentials into a machine actor, or null when it carries none that are valid. */
export type MachineActorResolver = (request: Request) => Promise<MachineActor | null>;

/** How a token is kept: its sha256. Tokens are 256-bit random values, so a slow password hash adds nothing. */
export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** A busy client records its last use once a minute, not on every request. */
const LAST_USE_GRANULARITY_MS = 60_000;

/**
 * The one place a bearer token becomes a machine actor: `Authorization: Bearer <token>` is looked up by its hash
 * among the clients that are not revoked (machine_clients; created in lib/scim/tokens.ts). A revoked or unknown
 * token is no actor at all, so the edge answers 401 with `WWW-Authenticate: Bearer`.
 */
export const resolveMachineActor: MachineActorResolver = async (request) => {
  const token = /^Bearer[ ]+([\x21-\x7e]{16,512})\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token) return null;
  const db = await getDb();
  const [client] = await db
    .select({
      id: machineClients.id,
      name: machineClients.name,
      kind: machineClients.kind,
      lastUsedAt: machineClients.lastUsedAt,
    })
    .from(machineClients)
    .where(and(eq(machineClients.tokenHash, hashToken(token)), isNull(machineClients.revokedAt)));
  if (!client) return null;
  const now = new Date();
  if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() >= LAST_USE_GRANULARITY_MS) {
    const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip");
    // Bookkeeping, not a change of state: no audit event (the audit log records what the client then does).
    await db
      .update(machineClients)
      .set({ lastUsedAt: now, lastUsedIp: ip || null })
      .where(
        and(
          eq(machineClients.id, client.id),
          or(
            isNull(machineClients.lastUsedAt),
            lt(machineClients.lastUsedAt, new Date(now.getTime() - LAST_USE_GRANULARITY_MS)),
          ),
        ),
      );
  }
  return machineActor(client.id, client.name, client.kind);
};
