import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { credentialStatus } from "@/db/schema/enums";
import type { ConnectorSystem } from "@/lib/connectors";
import { systemColumns, systemFromRow, systemRow } from "@/lib/connectors/system";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { credentialScope } from "../queries";

export type ChangeTarget = {
  id: number;
  name: string;
  kind: string;
  status: (typeof credentialStatus.enumValues)[number];
  externalRef: string | null;
  scopes: string[];
  ownerId: number | null;
  ownerName: string | null;
  expiresAt: Date | null;
  blastRadius: number;
  holder: { id: number; name: string; email: string | null; employeeNumber: string | null };
  system: ConnectorSystem;
};

const targetRow = systemRow.extend({
  id: col.int,
  name: col.text,
  kind: col.text,
  status: z.enum(credentialStatus.enumValues),
  external_ref: col.textOrNull,
  scopes: col.textArray,
  owner_id: col.intOrNull,
  owner_name: col.textOrNull,
  expires_at: col.dateOrNull,
  blast_radius: col.int,
  holder_id: col.int,
  holder_name: col.text,
  email: col.textOrNull,
  employee_number: col.textOrNull,
});

/**
 * The credential a command changes, within the actor's scope (NotFound outside it, so ids cannot be probed).
 * `lock` takes the row for the rest of the transaction, so two analysts cannot interleave changes to it.
 */
export async function loadTarget(ctx: Ctx, credentialId: number, opts: { lock?: boolean } = {}): Promise<ChangeTarget> {
  const scope = await credentialScope(ctx);
  const [r] = await queryRows(
    ctx.db,
    sql`
    SELECT c.id, c.name, c.kind::text AS kind, c.status::text AS status, c.external_ref, c.scopes, c.owner_id, o.display_name AS owner_name,
           c.expires_at, cr.blast_radius, h.id AS holder_id, h.display_name AS holder_name, h.email, h.employee_number,
           ${systemColumns("s")}
      FROM credentials c
      JOIN credential_risk cr ON cr.credential_id = c.id
      JOIN identities h ON h.id = c.holder_id
      LEFT JOIN identities o ON o.id = c.owner_id
      JOIN systems s ON s.id = c.issuer_system_id
     WHERE c.id = ${credentialId} ${scope ? sql`AND ${scope}` : sql``}
     ${opts.lock ? sql`FOR UPDATE OF c` : sql``}`,
    targetRow,
  );
  if (!r) throw new NotFound("That credential");
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    externalRef: r.external_ref,
    scopes: r.scopes,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    expiresAt: r.expires_at,
    blastRadius: r.blast_radius,
    holder: { id: r.holder_id, name: r.holder_name, email: r.email, employeeNumber: r.employee_number },
    system: systemFromRow(r),
  };
}
