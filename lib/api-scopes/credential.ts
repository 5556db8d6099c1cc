import "server-only";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { loadPolicy } from "./policy";
import { credentialScope, parseArray } from "./queries";
import { blastBand, type DataClass, endpointWeight, type Finding, findingsOf } from "./rules";

type Person = {
  id: number;
  name: string;
  kind: string;
  status: "active" | "leaver" | "disabled";
  title: string | null;
};
export type ReachedEndpoint = {
  id: number;
  method: string;
  path: string;
  scope: string;
  bulk: boolean;
  maxRecordsPerCall: number | null;
  dataClasses: DataClass[];
  description: string | null;
  weight: number;
};
export type TimelineEntry = {
  /** Stable per credential: the fact's name, the scope, or the audit event id (a React key). */
  key: string;
  at: string;
  kind: "created" | "rotated" | "used" | "scope_used" | "expires" | "revoked" | "audit";
  label: string;
  detail?: string | null;
  actor?: string | null;
};

/** Everything the credential page shows, each part one query, scoped like the inventory (NotFound outside it). */
export async function getCredential(ctx: Ctx, id: number) {
  authorize(ctx.actor, "api_scopes.read");
  const scope = await credentialScope(ctx);
  const [c] = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`
    SELECT c.id, c.name, c.kind::text AS kind, c.status::text AS status, c.external_ref, c.scopes, c.created_at, c.last_used_at,
           c.expires_at, c.last_rotated_at, c.revoked_at, c.holder_id, c.owner_id,
           s.id AS system_id, s.name AS system, s.slug, s.connector_kind::text AS connector_kind, s.connector_simulated,
           cr.blast_radius, (SELECT ch.kind::text FROM credential_handles ch WHERE ch.credential_id = c.id) AS handle_kind
      FROM credential_risk cr JOIN credentials c ON c.id = cr.credential_id JOIN systems s ON s.id = c.issuer_system_id
     WHERE cr.credential_id = ${id} ${scope ? sql`AND ${scope}` : sql``}`,
  );
  if (!c) throw new NotFound("That credential");
  const scopes = parseArray(c.scopes);
  const ownerId = c.owner_id === null ? null : Number(c.owner_id);
  const [people, endpoints, usage, audit, openCase, openTask, policy] = await Promise.all([
    queryRows<Person & { manager_id: number | null }>(
      ctx.db,
      sql`
      SELECT i.id, i.display_name AS name, i.kind::text AS kind, i.status::text AS status, i.title, i.manager_id
        FROM identities i WHERE i.id IN (${Number(c.holder_id)}, ${ownerId ?? Number(c.holder_id)},
              coalesce((SELECT manager_id FROM identities WHERE id = ${ownerId ?? -1}), -1))`,
    ),
    queryRows<ReachedEndpoint>(
      ctx.db,
      sql`
      SELECT e.id, e.method::text AS method, e.path, e.scope, e.bulk, e.max_records_per_call AS "maxRecordsPerCall",
             e.data_classes::text[] AS "dataClasses", e.description
        FROM api_endpoints e JOIN credentials c2 ON c2.id = ${id} AND e.scope = ANY(c2.scopes) WHERE e.system_id = ${Number(c.system_id)}
       ORDER BY e.bulk DESC, e.max_records_per_call DESC NULLS LAST, e.path, e.method`,
    ),
    queryRows<{ scope: string; lastUsedAt: string }>(
      ctx.db,
      sql`
      SELECT scope, last_used_at AS "lastUsedAt" FROM credential_scope_usage WHERE credential_id = ${id} ORDER BY last_used_at DESC`,
    ),
    queryRows<{ id: number; at: string; action: string; actor: string; after: unknown; metadata: unknown }>(
      ctx.db,
      sql`
      SELECT id, occurred_at AS at, action, actor_label AS actor, after, metadata FROM audit_events
       WHERE target_type = 'credential' AND target_id = ${String(id)} ORDER BY id DESC LIMIT 50`,
    ),
    queryRows<{ id: number; status: string }>(
      ctx.db,
      sql`
      SELECT id, status::text AS status FROM leaver_cases WHERE identity_id = ${Number(c.holder_id)} AND status <> 'closed' LIMIT 1`,
    ),
    queryRows<{ id: number; caseId: number; state: string }>(
      ctx.db,
      sql`
      SELECT id, case_id AS "caseId", state::text AS state FROM remediation_tasks
       WHERE target_type = 'credential' AND target_id = ${id} AND origin = 'leaver_case'
         AND state NOT IN ('verified', 'waived') LIMIT 1`,
    ),
    loadPolicy(ctx.db),
  ]);
  const person = (pid: number | null) => (pid === null ? null : (people.find((p) => Number(p.id) === pid) ?? null));
  const holder = person(Number(c.holder_id))!;
  const owner = person(ownerId);
  const manager = owner ? person(owner.manager_id === null ? null : Number(owner.manager_id)) : null;
  const reached = endpoints.map((e) => {
    const dataClasses = parseArray(e.dataClasses) as DataClass[];
    const maxRecordsPerCall = e.maxRecordsPerCall === null ? null : Number(e.maxRecordsPerCall);
    return {
      ...e,
      id: Number(e.id),
      dataClasses,
      maxRecordsPerCall,
      weight: endpointWeight({ bulk: e.bulk, maxRecordsPerCall, dataClasses }),
    };
  });
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const facts = {
    status: c.status as "active" | "revoked" | "expired",
    kind: c.kind as never,
    scopes,
    createdAt: date(c.created_at)!,
    lastUsedAt: date(c.last_used_at),
    lastRotatedAt: date(c.last_rotated_at),
    expiresAt: date(c.expires_at),
    ownerStatus: owner?.status ?? null,
    holderHasOpenCase: openCase.length > 0,
    reached,
    scopeUsage: usage.map((u) => ({ scope: u.scope, lastUsedAt: new Date(u.lastUsedAt) })),
  };
  const findings: Finding[] = findingsOf(facts, policy, ctx.now);
  return {
    credential: {
      id,
      name: String(c.name),
      kind: String(c.kind),
      status: facts.status,
      externalRef: (c.external_ref as string) ?? null,
      scopes,
      createdAt: facts.createdAt,
      lastUsedAt: facts.lastUsedAt,
      expiresAt: facts.expiresAt,
      lastRotatedAt: facts.lastRotatedAt,
      revokedAt: date(c.revoked_at),
      blastRadius: Number(c.blast_radius),
      band: blastBand(Number(c.blast_radius)),
      hasHandle: c.handle_kind !== null && c.handle_kind !== undefined,
      /** token (RFC 7009 revocation) or registration (RFC 7592 client management), or null. */
      handleKind: (c.handle_kind as "token" | "registration" | null) ?? null,
    },
    system: {
      id: Number(c.system_id),
      name: String(c.system),
      slug: String(c.slug),
      connectorKind: String(c.connector_kind),
      simulated: Boolean(c.connector_simulated),
    },
    chain: { holder, owner, manager },
    scopes: scopes.map((s) => ({
      scope: s,
      lastUsedAt: facts.scopeUsage.find((u) => u.scope === s)?.lastUsedAt ?? null,
      endpoints: reached.filter((e) => e.scope === s),
    })),
    findings,
    policy,
    usageKnown: usage.length > 0,
    openCase: openCase[0] ? { id: Number(openCase[0].id), status: openCase[0].status } : null,
    openTask: openTask[0]
      ? { id: Number(openTask[0].id), caseId: Number(openTask[0].caseId), state: openTask[0].state }
      : null,
    timeline: timeline(facts, usage, audit, date(c.revoked_at)),
  };
}
export type CredentialDetail = Awaited<ReturnType<typeof getCredential>>;

function timeline(
  f: { createdAt: Date; lastUsedAt: Date | null; lastRotatedAt: Date | null; expiresAt: Date | null },
  usage: { scope: string; lastUsedAt: string }[],
  audit: { id: number; at: string; action: string; actor: string; after: unknown }[],
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
      at: new Date(u.lastUsedAt).toISOString(),
      kind: "scope_used",
      label: `Last used ${u.scope}`,
    });
  if (f.expiresAt) out.push({ key: "expires", at: f.expiresAt.toISOString(), kind: "expires", label: "Expires" });
  if (revokedAt) out.push({ key: "revoked", at: revokedAt.toISOString(), kind: "revoked", label: "Revoked" });
  for (const a of audit) {
    const after = (typeof a.after === "string" ? JSON.parse(a.after) : a.after) as Record<string, unknown> | null;
    out.push({
      key: `audit:${a.id}`,
      at: new Date(a.at).toISOString(),
      kind: "audit",
      label: a.action,
      actor: a.actor,
      detail: after ? summarize(after) : null,
    });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

function summarize(after: Record<string, unknown>): string {
  return Object.entries(after)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .map(([k, v]) => `${k}: ${String(v)}`)
    .slice(0, 4)
    .join(" · ");
}
