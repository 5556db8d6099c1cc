import "server-only";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import type { ConnectorConfig } from "@/db/schema/systems";
import type { ConnectorSystem } from "@/lib/connectors";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { credentialScope, parseArray } from "../queries";

export type ChangeTarget = {
  id: number;
  name: string;
  kind: string;
  status: "active" | "revoked" | "expired";
  externalRef: string | null;
  scopes: string[];
  ownerId: number | null;
  ownerName: string | null;
  expiresAt: Date | null;
  blastRadius: number;
  holder: { id: number; name: string; email: string | null; employeeNumber: string | null };
  system: ConnectorSystem;
};

/**
 * The credential a command changes, within the actor's scope (NotFound outside it, so ids cannot be probed).
 * `lock` takes the row for the rest of the transaction, so two analysts cannot interleave changes to it.
 */
export async function loadTarget(ctx: Ctx, credentialId: number, opts: { lock?: boolean } = {}): Promise<ChangeTarget> {
  const scope = await credentialScope(ctx);
  const [r] = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT c.id, c.name, c.kind::text AS kind, c.status::text AS status, c.external_ref, c.scopes, c.owner_id, o.display_name AS owner_name,
           c.expires_at, cr.blast_radius, h.id AS holder_id, h.display_name AS holder_name, h.email, h.employee_number,
           s.id AS system_id, s.slug, s.name AS system_name, s.connector_kind::text AS connector_kind, s.connector_config,
           s.connector_simulated, s.deprovision_mode::text AS deprovision_mode
      FROM credentials c
      JOIN credential_risk cr ON cr.credential_id = c.id
      JOIN identities h ON h.id = c.holder_id
      LEFT JOIN identities o ON o.id = c.owner_id
      JOIN systems s ON s.id = c.issuer_system_id
     WHERE c.id = ${credentialId} ${scope ? sql`AND ${scope}` : sql``}
     ${opts.lock ? sql`FOR UPDATE OF c` : sql``}`,
  );
  if (!r) throw new NotFound("That credential");
  return {
    id: Number(r.id),
    name: String(r.name),
    kind: String(r.kind),
    status: r.status as ChangeTarget["status"],
    externalRef: (r.external_ref as string) ?? null,
    scopes: parseArray(r.scopes),
    ownerId: r.owner_id === null ? null : Number(r.owner_id),
    ownerName: (r.owner_name as string) ?? null,
    expiresAt: r.expires_at ? new Date(r.expires_at as string) : null,
    blastRadius: Number(r.blast_radius),
    holder: {
      id: Number(r.holder_id),
      name: String(r.holder_name),
      email: (r.email as string) ?? null,
      employeeNumber: (r.employee_number as string) ?? null,
    },
    system: {
      id: Number(r.system_id),
      slug: String(r.slug),
      name: String(r.system_name),
      kind: r.connector_kind as ConnectorSystem["kind"],
      config: (typeof r.connector_config === "string"
        ? JSON.parse(r.connector_config)
        : r.connector_config) as ConnectorConfig,
      simulated: Boolean(r.connector_simulated),
      deprovisionMode: r.deprovision_mode as ConnectorSystem["deprovisionMode"],
    },
  };
}
