import "server-only";
import { and, eq, ne, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { leaverCases, remediationTasks } from "@/db/schema";
import { credentialHandleKind, credentialKind, credentialStatus, dataClass, identityStatus } from "@/db/schema/enums";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { loadPolicy } from "./policy";
import { credentialScope } from "./queries";
import { blastBand, endpointWeight, type Finding, findingsOf, reaches } from "./rules";

export type TimelineEntry = {
  /** Stable per credential: the fact's name, the scope, or the audit event id (a React key). */
  key: string;
  at: string;
  kind: "created" | "rotated" | "used" | "scope_used" | "expires" | "revoked" | "audit";
  label: string;
  detail?: string | null;
  actor?: string | null;
};

const credentialRow = z.object({
  id: col.int,
  name: col.text,
  kind: z.enum(credentialKind.enumValues),
  status: z.enum(credentialStatus.enumValues),
  external_ref: col.textOrNull,
  scopes: col.textArray,
  created_at: col.date,
  last_used_at: col.dateOrNull,
  expires_at: col.dateOrNull,
  last_rotated_at: col.dateOrNull,
  revoked_at: col.dateOrNull,
  holder_id: col.int,
  owner_id: col.intOrNull,
  system_id: col.int,
  system: col.text,
  slug: col.text,
  connector_kind: col.text,
  connector_simulated: col.bool,
  blast_radius: col.int,
  handle_kind: z.enum(credentialHandleKind.enumValues).nullable(),
  handle_registered_at: col.dateOrNull,
});
const personRow = z.object({
  id: col.int,
  name: col.text,
  kind: col.text,
  status: z.enum(identityStatus.enumValues),
  title: col.textOrNull,
  manager_id: col.intOrNull,
});
const endpointRow = z.object({
  id: col.int,
  method: col.text,
  path: col.text,
  scope: col.text,
  scopeSets: col.json(z.array(z.array(z.string()))),
  bulk: col.bool,
  maxRecordsPerCall: col.intOrNull,
  dataClasses: col.array(z.enum(dataClass.enumValues)),
  description: col.textOrNull,
});
const auditRow = z.object({
  id: col.int,
  at: col.date,
  action: col.text,
  actor: col.text,
  after: col.json(z.unknown()),
});

/** Everything the credential page shows, each part one query, scoped like the inventory (NotFound outside it). */
export async function getCredential(ctx: Ctx, id: number) {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await credentialScope(ctx);
  const [c] = await queryRows(
    ctx.db,
    sql`
    SELECT c.id, c.name, c.kind::text AS kind, c.status::text AS status, c.external_ref, c.scopes, c.created_at, c.last_used_at,
           c.expires_at, c.last_rotated_at, c.revoked_at, c.holder_id, c.owner_id,
           s.id AS system_id, s.name AS system, s.slug, s.connector_kind::text AS connector_kind, s.connector_simulated,
           cr.blast_radius, ch.kind::text AS handle_kind, ch.created_at AS handle_registered_at
      FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id JOIN systems s ON s.id = c.issuer_system_id
      LEFT JOIN credential_handles ch ON ch.credential_id = c.id
     WHERE cr.credential_id = ${id} ${scope ? sql`AND ${scope}` : sql``}`,
    credentialRow,
  );
  if (!c) throw new NotFound("That credential");
  const { scopes, owner_id: ownerId } = c;
  const [people, endpoints, usage, audit, openCase, openTask, policy] = await Promise.all([
    queryRows(
      ctx.db,
      sql`
      SELECT i.id, i.display_name AS name, i.kind::text AS kind, i.status::text AS status, i.title, i.manager_id
        FROM identities i WHERE i.id IN (${c.holder_id}, ${ownerId ?? c.holder_id},
              coalesce((SELECT manager_id FROM identities WHERE id = ${ownerId ?? -1}), -1))`,
      personRow,
    ),
    queryRows(
      ctx.db,
      sql`
      SELECT e.id, e.method::text AS method, e.path, e.scope, e.scope_sets AS "scopeSets", e.bulk, e.max_records_per_call AS "maxRecordsPerCall",
             e.data_classes::text[] AS "dataClasses", e.description
        FROM api_endpoints e JOIN credentials c2 ON c2.id = ${id} AND api_endpoint_reached(e.scope_sets, c2.scopes) WHERE e.system_id = ${c.system_id}
       ORDER BY e.bulk DESC, e.max_records_per_call DESC NULLS LAST, e.path, e.method`,
      endpointRow,
    ),
    queryRows(
      ctx.db,
      sql`
      SELECT scope, last_used_at AS "lastUsedAt" FROM credential_scope_usage WHERE credential_id = ${id} ORDER BY last_used_at DESC`,
      z.object({ scope: col.text, lastUsedAt: col.date }),
    ),
    queryRows(
      ctx.db,
      sql`
      SELECT id, occurred_at AS at, action, actor_label AS actor, after FROM audit_events
       WHERE target_type = 'credential' AND target_id = ${String(id)} ORDER BY id DESC LIMIT 50`,
      auditRow,
    ),
    ctx.db
      .select({ id: leaverCases.id, status: leaverCases.status })
      .from(leaverCases)
      .where(and(eq(leaverCases.identityId, c.holder_id), ne(leaverCases.status, "closed")))
      .limit(1),
    ctx.db
      .select({ id: remediationTasks.id, caseId: remediationTasks.caseId, state: remediationTasks.state })
      .from(remediationTasks)
      .where(
        and(
          eq(remediationTasks.targetType, "credential"),
          eq(remediationTasks.targetId, id),
          eq(remediationTasks.origin, "leaver_case"),
          notInArray(remediationTasks.state, ["verified", "waived"]),
        ),
      )
      .limit(1),
    loadPolicy(ctx.db),
  ]);
  const person = (pid: number | null) => (pid === null ? null : (people.find((p) => p.id === pid) ?? null));
  const holder = person(c.holder_id)!;
  const owner = person(ownerId);
  const manager = owner ? person(owner.manager_id) : null;
  const reached = endpoints.map((e) => ({ ...e, weight: endpointWeight(e) }));
  const facts = {
    status: c.status,
    kind: c.kind,
    scopes,
    createdAt: c.created_at,
    lastUsedAt: c.last_used_at,
    lastRotatedAt: c.last_rotated_at,
    expiresAt: c.expires_at,
    ownerStatus: owner?.status ?? null,
    holderHasOpenCase: openCase.length > 0,
    reached,
    scopeUsage: usage,
  };
  const findings: Finding[] = findingsOf(facts, policy, ctx.now);
  return {
    credential: {
      id,
      name: c.name,
      kind: c.kind,
      status: facts.status,
      externalRef: c.external_ref,
      scopes,
      createdAt: facts.createdAt,
      lastUsedAt: facts.lastUsedAt,
      expiresAt: facts.expiresAt,
      lastRotatedAt: facts.lastRotatedAt,
      revokedAt: c.revoked_at,
      blastRadius: c.blast_radius,
      band: blastBand(c.blast_radius),
      hasHandle: c.handle_kind !== null,
      /** token (RFC 7009 revocation) or registration (RFC 7592 client management), or null. */
      handleKind: c.handle_kind,
      /** When the current handle was registered (never its value: that stays sealed in lib/connectors). */
      handleRegisteredAt: c.handle_registered_at,
    },
    system: {
      id: c.system_id,
      name: c.system,
      slug: c.slug,
      connectorKind: c.connector_kind,
      simulated: c.connector_simulated,
    },
    chain: { holder, owner, manager },
    scopes: scopes.map((s) => ({
      scope: s,
      lastUsedAt: facts.scopeUsage.find((u) => u.scope === s)?.lastUsedAt ?? null,
      // Under each held scope: the endpoints it opens, alone or together with the other scopes of a set held whole.
      endpoints: reached.filter((e) => e.scopeSets.some((set) => set.includes(s) && reaches(scopes, [set]))),
    })),
    findings,
    policy,
    usageKnown: usage.length > 0,
    openCase: openCase[0] ?? null,
    openTask: openTask[0] ?? null,
    timeline: timeline(facts, usage, audit, c.revoked_at),
  };
}
export type CredentialDetail = Awaited<ReturnType<typeof getCredential>>;

function timeline(
  f: { createdAt: Date; lastUsedAt: Date | null; lastRotatedAt: Date | null; expiresAt: Date | null },
  usage: { scope: string; lastUsedAt: Date }[],
  audit: z.output<typeof auditRow>[],
  revokedAt: Date | null,
): TimelineEntry[] {
  const out: TimelineEntry[] = [{ key: "created", at: f.createdAt.toISOString(), kind: "created", label: "Created" }];
  if (f.lastRotatedAt)
    out.push({ key: "rotated", at: f.lastRotatedAt.toISOString(), kind: "rotated", label: "Last rotated" });
  if (f.lastUsedAt)
    out.push({ key: "used", at: f.lastUsedAt.toISOString(), kind: "used", label: "Last used (any scope)" });
  for (const u of usage)
    out.push({
      key: `scope:${u.scope}`,
      at: u.lastUsedAt.toISOString(),
      kind: "scope_used",
      label: `Last used ${u.scope}`,
    });
  if (f.expiresAt) out.push({ key: "expires", at: f.expiresAt.toISOString(), kind: "expires", label: "Expires" });
  if (revokedAt) out.push({ key: "revoked", at: revokedAt.toISOString(), kind: "revoked", label: "Revoked" });
  for (const a of audit) {
    out.push({
      key: `audit:${a.id}`,
      at: a.at.toISOString(),
      kind: "audit",
      label: a.action,
      actor: a.actor,
      detail: a.after && typeof a.after === "object" ? summarize(a.after) : null,
    });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

function summarize(after: object): string {
  return Object.entries(after)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .map(([k, v]) => `${k}: ${String(v)}`)
    .slice(0, 4)
    .join(" · ");
}
