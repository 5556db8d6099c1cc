import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { systems } from "@/db/schema";
import { textArray } from "@/db/sql";
import { can } from "@/lib/authz";
import { NotFound } from "@/lib/errors";
import { loadMapping, mappingParams } from "@/lib/imports/mapping-load";
import { defineKind } from "@/lib/imports/registry";
import type { Checked } from "@/lib/imports/types";
import { idField } from "@/lib/input";
import { applyCredentials } from "./apply.internal";
import { CREDENTIAL_FIELDS } from "./fields";
import { type CredentialRecord, readCredentials } from "./read";

/**
 * Credentials from a CSV or JSON file (import kind `credentials`): tokens, keys, OAuth clients and grants,
 * service-account and SSH keys, with issuer, holder, owner, scopes, created, last used and expiry. The issuer is
 * the row's `system` (a system's name or slug) or the run's `systemId`; the holder is matched to an identity by
 * email or login (a non-human identity also by its name), the owner to a person by email or login. Each
 * credential is keyed by (issuer, id at the issuer): `new` and `changed` ones are applied, `unchanged` ones
 * skipped, so importing the same file again changes nothing. Applying upserts them set-based and refreshes their
 * risk rollup (findings, blast radius) once, in the same transaction (apply.ts).
 */
type CredentialRowData = CredentialRecord & { systemId: number; holderId: number; ownerId: number | null };
export type CredentialsImportResult = { created: number; updated: number; handles: number };
export type CredentialsState = { system: { id: number; name: string } | null; columns: Record<string, string> };

const MAX_BYTES = 100_000_000;
const MAX_ROWS = 500_000;

const found = z.object({ via: col.text, key: col.text, id: col.int, name: col.text, n: col.int });
const existing = z.object({
  system_id: col.int,
  ref: col.text,
  name: col.text,
  kind: col.text,
  holder_id: col.int,
  owner_id: col.intOrNull,
  scopes: col.textArray,
  created_at: col.iso,
  last_used_at: col.isoOrNull,
  expires_at: col.isoOrNull,
  status: col.text,
});

export const credentialsImport = defineKind({
  kind: "credentials",
  // The sealed handle stays on the server; the preview only learns that a row has one.
  hiddenFields: ["handle"],
  label: "Credential file",
  noun: "file",
  permission: "api_scopes.manage",
  maxBytes: MAX_BYTES,
  maxRows: MAX_ROWS,
  params: z.object({ systemId: idField.optional(), ...mappingParams }).strict(),
  options: z.object({}).strict(),
  mapping: { fields: CREDENTIAL_FIELDS },

  async prepare(ctx, run): Promise<CredentialsState> {
    let system: CredentialsState["system"] = null;
    if (run.params.systemId) {
      [system] = await ctx.db
        .select({ id: systems.id, name: systems.name })
        .from(systems)
        .where(eq(systems.id, run.params.systemId));
      if (!system) throw new NotFound("That system");
    }
    return { system, columns: await loadMapping(ctx.db, "credentials", run.params) };
  },

  parse: (input, run, state) => readCredentials(input, state.columns, run.id),

  /** Two round trips per batch: issuers and people by name, then the credentials already held under those keys. */
  async validate(ctx, rows, state) {
    const recs = rows.map((r) => r.data as CredentialRecord);
    const names = [...new Set(recs.flatMap((r) => (r.system ? [r.system.toLowerCase()] : [])))];
    const people = [...new Set(recs.flatMap((r) => [r.holder, ...(r.owner ? [r.owner] : [])]))];
    const hits = await queryRows(
      ctx.db,
      sql`
      SELECT 'system' AS via, k.key, s.id, s.name, 1 AS n FROM unnest(${textArray(names)}) AS k(key)
        JOIN LATERAL (SELECT id, name FROM systems WHERE lower(name) = k.key OR lower(slug) = k.key ORDER BY id LIMIT 1) s ON true
      UNION ALL
      SELECT CASE WHEN i.kind = 'human' THEN 'person' ELSE 'nonhuman' END, k.key, min(i.id), min(i.display_name), count(*)::int
        FROM unnest(${textArray(people)}) AS k(key)
        JOIN identities i ON lower(i.email) = k.key OR lower(coalesce(i.user_name, i.email)) = k.key
                          OR (i.kind <> 'human' AND lower(i.display_name) = k.key)
       GROUP BY 1, 2`,
      found,
    );
    const systemsBy = new Map(hits.filter((h) => h.via === "system").map((h) => [h.key, h]));
    const personBy = new Map(hits.filter((h) => h.via === "person").map((h) => [h.key, h]));
    const holderBy = new Map(hits.filter((h) => h.via !== "system").map((h) => [h.key, h]));
    const systemOf = (r: CredentialRecord) => (r.system ? systemsBy.get(r.system.toLowerCase()) : state.system);
    const keys = recs.flatMap((r) => {
      const s = systemOf(r);
      return s ? [{ system_id: s.id, ref: r.externalId }] : [];
    });
    const held = await queryRows(
      ctx.db,
      sql`
      SELECT c.issuer_system_id AS system_id, c.external_ref AS ref, c.name, c.kind::text AS kind, c.holder_id, c.owner_id,
             c.scopes, c.created_at, c.last_used_at, c.expires_at, c.status::text AS status
        FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(system_id int, ref text)
        JOIN credentials c ON c.issuer_system_id = k.system_id AND c.external_ref = k.ref`,
      existing,
    );
    const heldBy = new Map(held.map((h) => [`${h.system_id}\u0000${h.ref}`, h]));
    const handleSystems = [...new Set(recs.flatMap((r) => (r.handle ? [systemOf(r)?.id ?? 0] : [])))].filter(Boolean);
    const connectorOf = new Map(
      (handleSystems.length
        ? await ctx.db
            .select({ id: systems.id, kind: systems.connectorKind, config: systems.connectorConfig })
            .from(systems)
            .where(inArray(systems.id, handleSystems))
        : []
      ).map((s) => [s.id, s]),
    );
    const mayRegister = can(ctx.actor, "api_scopes.handles");
    /** Why the row's handle cannot be registered, or null (lib/api-scopes/commands/handle.ts asks the same). */
    const handleProblem = (r: CredentialRecord, systemId: number, systemName: string): string | null => {
      const h = r.handle;
      if (!h) return null;
      if (!mayRegister)
        return "Only an administrator may register revocation handles: leave the handle columns empty, or ask one to import the file.";
      const c = connectorOf.get(systemId);
      if (c?.kind !== "oauth")
        return `${systemName} is not connected through OAuth 2.0: Lockstep would never use a handle there.`;
      if (r.status !== "active") return `A ${r.status} credential needs no revocation handle.`;
      if (h.kind === "registration") {
        if (r.kind !== "oauth_client") return "Only an OAuth client has an RFC 7592 registration.";
        const { tokenEndpoint, revocationEndpoint, introspectionEndpoint } = c.config;
        const origins = [tokenEndpoint, revocationEndpoint, introspectionEndpoint].flatMap((u) =>
          u && URL.canParse(u) ? [new URL(u).origin] : [],
        );
        if (!h.origin || !origins.includes(h.origin))
          return `The client configuration URI is not on ${systemName}'s authorization server.`;
      }
      return null;
    };

    return recs.map((r): Checked => {
      const row: Checked = { status: "error", key: r.externalId, data: r };
      const system = systemOf(r);
      const holder = holderBy.get(r.holder);
      const owner = r.owner ? personBy.get(r.owner) : undefined;
      if (!system)
        return {
          ...row,
          message: r.system ? `No system named "${r.system}".` : "No issuer: map a system column or choose the system.",
        };
      if (!holder) return { ...row, message: `No identity matches the holder "${r.holder}".` };
      if (holder.n > 1) return { ...row, message: `The holder "${r.holder}" names ${holder.n} identities.` };
      if (r.owner && !owner) return { ...row, message: `No person matches the owner "${r.owner}".` };
      const badHandle = handleProblem(r, system.id, system.name);
      if (badHandle) return { ...row, message: badHandle };
      const before = heldBy.get(`${system.id}\u0000${r.externalId}`);
      const data: CredentialRowData = { ...r, systemId: system.id, holderId: holder.id, ownerId: owner?.id ?? null };
      const ok: Checked = {
        ...row,
        status: "ok",
        data,
        targetLabel: `${r.name} (${system.name})`,
        ...(r.handle
          ? {
              message: `Registers its revocation handle (${r.handle.kind === "token" ? "token" : "client registration"}).`,
            }
          : {}),
      };
      if (!before) return { ...ok, code: "new" };
      data.ownerId = owner?.id ?? before.owner_id;
      data.createdAt = r.createdAt ?? before.created_at;
      // What applying would leave: an empty owner, created or last-used cell keeps what Lockstep has.
      const same =
        before.name === r.name &&
        before.kind === r.kind &&
        before.holder_id === holder.id &&
        before.owner_id === (owner?.id ?? before.owner_id) &&
        before.scopes.slice().sort().join(" ") === r.scopes.join(" ") &&
        before.created_at === (r.createdAt ?? before.created_at) &&
        (before.last_used_at ?? "") >= (r.lastUsedAt ?? "") &&
        before.expires_at === r.expiresAt &&
        before.status === r.status;
      // A handle to register is a change even when the credential's record is the same.
      return same && !r.handle
        ? { ...ok, status: "skipped", code: "unchanged", message: "Same as already imported." }
        : { ...ok, code: "changed" };
    });
  },

  /** The same credential twice in the file: only the first row counts. */
  async finalize(ctx, run) {
    await ctx.db.execute(sql`
      UPDATE import_rows r SET status = 'skipped', code = 'duplicate',
             message = 'Same credential as ' || coalesce('line ' || d.first_line, d.first_pointer) || '; only the first is imported.'
        FROM (SELECT seq, first_value(line) OVER w AS first_line, first_value(pointer) OVER w AS first_pointer,
                     row_number() OVER w AS n
                FROM import_rows WHERE run_id = ${run.id} AND status <> 'error'
              WINDOW w AS (PARTITION BY data->>'systemId', key ORDER BY seq)) d
       WHERE r.run_id = ${run.id} AND r.seq = d.seq AND d.n > 1`);
    return undefined;
  },

  apply: ({ ctx, run }) => applyCredentials(ctx, run),
});
