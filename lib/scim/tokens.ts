import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { machineClients } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { hashToken } from "@/lib/edge/machine";
import { Conflict, NotFound } from "@/lib/errors";
import { idField, text } from "@/lib/input";

/**
 * Machine clients and their bearer tokens: provisioning clients (SCIM inbound) and audit monitors (which poll the
 * audit chain's signed checkpoints). Managing them needs `systems.manage`: a machine client is a connected system,
 * and the admins who connect systems are the ones who hold that permission. The token is returned once, at
 * creation; only its sha256 is kept. Every creation and revocation is audited (the token never is).
 */
export const TOKEN_KINDS = ["provisioning", "audit_monitor"] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
const KIND_LABEL: Record<TokenKind, string> = { provisioning: "provisioning client", audit_monitor: "audit monitor" };
export const createTokenInput = z.object({
  name: text(80).pipe(z.string().min(1, "Name the client.")),
  kind: z.enum(TOKEN_KINDS).default("provisioning"),
});
export const revokeTokenInput = z.object({ clientId: idField });

export type ProvisioningClient = {
  id: number;
  name: string;
  tokenHint: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
};

export async function createProvisioningToken(
  ctx: Ctx,
  input: z.input<typeof createTokenInput>,
): Promise<{ id: number; name: string; kind: TokenKind; token: string }> {
  authorize(ctx.actor, "systems.manage");
  const kind = input.kind ?? "provisioning";
  const token = `lsp_${randomBytes(32).toString("base64url")}`;
  return transact(ctx, async (tx) => {
    const [live] = await tx.db
      .select({ id: machineClients.id })
      .from(machineClients)
      .where(
        and(
          eq(machineClients.kind, kind),
          sql`lower(${machineClients.name}) = ${input.name.toLowerCase()}`,
          isNull(machineClients.revokedAt),
        ),
      );
    if (live)
      throw new Conflict(`A ${KIND_LABEL[kind]} named "${input.name}" already has a live token: revoke it first.`);
    const [created] = await tx.db
      .insert(machineClients)
      .values({
        kind,
        name: input.name,
        tokenHash: hashToken(token),
        tokenHint: `${token.slice(0, 8)}…`,
        createdById: tx.actor.kind === "user" ? tx.actor.id : null,
        createdByLabel: tx.actor.name,
        createdAt: tx.now,
      })
      .returning({ id: machineClients.id, hint: machineClients.tokenHint });
    await writeAudit(tx, {
      action: "scim.token_create",
      target: { type: "machine_client", id: created.id, label: input.name },
      after: { name: input.name, kind, tokenHint: created.hint },
    });
    return { id: created.id, name: input.name, kind, token };
  });
}

export async function revokeProvisioningToken(
  ctx: Ctx,
  input: z.infer<typeof revokeTokenInput>,
): Promise<{ revokedAt: string }> {
  authorize(ctx.actor, "systems.manage");
  return transact(ctx, async (tx) => {
    const [client] = await tx.db
      .select({ id: machineClients.id, name: machineClients.name, revokedAt: machineClients.revokedAt })
      .from(machineClients)
      .where(and(eq(machineClients.id, input.clientId), inArray(machineClients.kind, [...TOKEN_KINDS])))
      .for("update");
    if (!client) throw new NotFound("That machine client");
    if (client.revokedAt) throw new Conflict("That token is already revoked.");
    await tx.db
      .update(machineClients)
      .set({ revokedAt: tx.now, revokedById: tx.actor.kind === "user" ? tx.actor.id : null })
      .where(eq(machineClients.id, client.id));
    await writeAudit(tx, {
      action: "scim.token_revoke",
      target: { type: "machine_client", id: client.id, label: client.name },
      before: { revokedAt: null },
      after: { revokedAt: tx.now.toISOString() },
    });
    return { revokedAt: tx.now.toISOString() };
  });
}

/** Every client of a kind (provisioning clients unless asked), live ones first, newest first. */
export async function listProvisioningClients(
  ctx: Ctx,
  kind: TokenKind = "provisioning",
): Promise<ProvisioningClient[]> {
  authorize(ctx.actor, "systems.manage");
  const rows = await ctx.db
    .select()
    .from(machineClients)
    .where(eq(machineClients.kind, kind))
    .orderBy(sql`${machineClients.revokedAt} IS NOT NULL`, desc(machineClients.createdAt), desc(machineClients.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    tokenHint: r.tokenHint,
    createdBy: r.createdByLabel,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: r.lastUsedIp,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}
