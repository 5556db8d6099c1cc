import "server-only";
import type { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { textArray } from "@/db/sql";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { defineKind } from "@/lib/imports/registry";
import type { Checked, Parsed, RunInfo } from "@/lib/imports/types";
import { loadLiftSettings } from "../lift-settings";
import { type FactorSource, type LiftSettings, SOURCE_LABELS } from "../vendor-mapping";
import { exportStrength, FLAG_LABELS, type ImportedFactor, type PersonRecord } from "./map";

/**
 * What the Entra and Okta factor imports share (kinds `entra_factors`, `okta_factors`): one row per person of
 * the export. validate matches the person (UPN, login or email against identities' user name and email,
 * case-insensitively; one lookup per batch) and compares the export with what the last import of the same source
 * left (the same lookup): `new` and `changed` rows are applied, `unchanged` ones skipped, so re-importing an
 * export changes nothing. `unmatched`, `not_person` and `ambiguous` people are listed and skipped. A malformed
 * record is an error at its line and JSON pointer, and any error blocks the whole export: factors are all or
 * nothing. Confirming writes every ok row's factors set-based from import_rows, revokes what the source no longer
 * lists for those people, and refreshes their posture once, all in the pipeline's transaction.
 */
export type FactorState = { settings: LiftSettings };

/** An ok or skipped row's data: the person's record and, once matched, what applying changes. */
export type FactorRowData = PersonRecord & {
  change?: { added: number; updated: number; revoked: number };
  strength?: { primary: number; effective: number };
};

/** `summary` of a factor run (besides the pipeline's `codes`). */
export type FactorImportSummary = {
  source: FactorSource;
  settings: LiftSettings;
  unknownMethods: { method: string; people: number }[];
  /** Factors the export lists that are not active (Okta status) or not counted: never written. */
  ignored: number;
  flags: { guest: number; temporary_pass_only: number; password_only: number };
  /** The export is one page of a paged Graph response (it carries `@odata.nextLink`). */
  partial?: boolean;
  result?: FactorImportResult;
};
export type FactorImportResult = {
  source: FactorSource;
  people: number;
  added: number;
  updated: number;
  revoked: number;
};

const MAX_BYTES = 250_000_000;
const MAX_ROWS = 500_000;

const personRow = z.object({
  id: col.int,
  name: col.text,
  kind: col.text,
  email: col.textOrNull,
  login: col.textOrNull,
});
const existingRow = z.object({
  identity_id: col.int,
  key: col.text,
  usage: col.text,
  type: col.text,
  uv: col.bool,
  label: col.textOrNull,
  channel: col.textOrNull,
});

export function factorKind(opts: {
  source: FactorSource;
  kind: string;
  label: string;
  parse: (input: Readable, state: FactorState) => AsyncIterable<Parsed>;
}) {
  const { source } = opts;
  return defineKind({
    kind: opts.kind,
    label: opts.label,
    noun: "file",
    permission: "factors.manage",
    maxBytes: MAX_BYTES,
    maxRows: MAX_ROWS,
    errorsBlock: true,
    params: z.object({}).strict(),
    options: z.object({}).strict(),
    prepare: async (ctx: Ctx): Promise<FactorState> => ({ settings: await loadLiftSettings(ctx.db) }),
    parse: (input, _run, state) => opts.parse(input, state),

    async validate(ctx, rows) {
      const records = rows.map((r) => r.data as PersonRecord);
      const ids = [...new Set(records.flatMap((r) => r.ids))];
      // One round trip: two index probes (the login and the email unique indexes, rather than one OR that scans)
      // and each match's factors from this source.
      const people = await queryRows(
        ctx.db,
        sql`
        WITH p AS (
          SELECT i.id, i.display_name AS name, i.kind::text AS kind, lower(i.email) AS email, lower(coalesce(i.user_name, i.email)) AS login
            FROM identities i WHERE lower(coalesce(i.user_name, i.email)) = ANY(${textArray(ids)})
          UNION
          SELECT i.id, i.display_name, i.kind::text, lower(i.email), lower(coalesce(i.user_name, i.email))
            FROM identities i WHERE lower(i.email) = ANY(${textArray(ids)}))
        SELECT p.*, coalesce((
          SELECT jsonb_agg(jsonb_build_object('identity_id', a.identity_id, 'key', a.source_key, 'usage', a.usage, 'type', a.type,
                                              'uv', a.user_verification, 'label', a.label, 'channel', a.channel))
            FROM authenticators a WHERE a.identity_id = p.id AND a.source = ${source} AND a.status = 'active'), '[]') AS held
          FROM p`,
        personRow.extend({ held: col.json(z.array(existingRow)) }),
      );
      const byLogin = new Map(people.filter((p) => p.login).map((p) => [p.login!, p]));
      const byEmail = new Map(people.filter((p) => p.email).map((p) => [p.email!, p]));
      const existing = people.flatMap((p) => p.held);
      const held = new Map<number, (typeof existing)[number][]>();
      for (const e of existing) held.set(e.identity_id, [...(held.get(e.identity_id) ?? []), e]);

      return records.map((rec): Checked => {
        const matches = rec.ids.flatMap((id) => [byLogin.get(id), byEmail.get(id)]).filter((p) => p !== undefined);
        const distinct = [...new Map(matches.map((p) => [p.id, p])).values()];
        const data: FactorRowData = { ...rec, strength: exportStrength(rec.factors) };
        const row: Checked = { status: "skipped", data };
        const notes = [
          ...rec.flags.map((f) => FLAG_LABELS[f]),
          ...(rec.unknown.length ? [`Unknown methods (not counted): ${rec.unknown.join(", ")}`] : []),
        ];
        if (!distinct.length)
          return { ...row, code: "unmatched", message: [`No person with ${rec.shown}.`, ...notes].join(" ") };
        const p = distinct[0];
        Object.assign(row, { targetId: p.id, targetLabel: p.name });
        if (distinct.length > 1)
          return {
            ...row,
            code: "ambiguous",
            message: `${rec.ids.join(" and ")} name different people (${distinct.map((d) => d.name).join(", ")}); not imported.`,
          };
        if (p.kind !== "human")
          return { ...row, code: "not_person", message: `${p.name} is a ${p.kind.replace(/_/g, " ")}, not a person.` };
        data.change = diff(rec.factors, held.get(p.id) ?? []);
        const { added, updated, revoked } = data.change;
        if (!added && !updated && !revoked)
          return held.has(p.id)
            ? { ...row, code: "unchanged", message: ["Same as already imported.", ...notes].join(" ") }
            : { ...row, code: "no_factors", message: ["No counted factor: nothing to import.", ...notes].join(" ") };
        return {
          ...row,
          status: "ok",
          code: held.has(p.id) ? "changed" : "new",
          message: notes.join(". ") || null,
        };
      });
    },

    /** The same person twice; the summary's unknown methods, ignored factors and flags, counted in SQL. */
    async finalize(ctx, run, state) {
      await ctx.db.execute(sql`
        UPDATE import_rows r SET status = 'skipped', code = 'duplicate',
               message = 'Same person as ' || coalesce('line ' || d.first_line, d.first_pointer) || '; only the first is imported.'
          FROM (SELECT seq, first_value(line) OVER w AS first_line, first_value(pointer) OVER w AS first_pointer,
                       row_number() OVER w AS n
                  FROM import_rows WHERE run_id = ${run.id} AND target_id IS NOT NULL AND status <> 'error'
                WINDOW w AS (PARTITION BY target_id ORDER BY seq)) d
         WHERE r.run_id = ${run.id} AND r.seq = d.seq AND d.n > 1`);
      const unknown = await queryRows(
        ctx.db,
        sql`
        SELECT u.method, count(*)::int AS people FROM import_rows r, jsonb_array_elements_text(r.data->'unknown') AS u(method)
         WHERE r.run_id = ${run.id} GROUP BY u.method ORDER BY people DESC, u.method LIMIT 100`,
        z.object({ method: col.text, people: col.int }),
      );
      const [counts] = await queryRows(
        ctx.db,
        sql`
        SELECT coalesce(sum(jsonb_array_length(coalesce(data->'ignored', '[]'))), 0)::int AS ignored,
               count(*) FILTER (WHERE data->'flags' ? 'guest')::int AS guest,
               count(*) FILTER (WHERE data->'flags' ? 'temporary_pass_only')::int AS temporary_pass_only,
               count(*) FILTER (WHERE data->'flags' ? 'password_only')::int AS password_only
          FROM import_rows WHERE run_id = ${run.id} AND status <> 'error'`,
        z.object({ ignored: col.int, guest: col.int, temporary_pass_only: col.int, password_only: col.int }),
      );
      const { ignored, ...flags } = counts;
      return {
        source,
        settings: state.settings,
        unknownMethods: unknown,
        ignored,
        flags,
      } satisfies Omit<FactorImportSummary, "partial">;
    },

    apply: ({ ctx, run }) => applyFactors(ctx, run, source),
  });
}

/** What applying the export does to one person's factors from this source. */
function diff(wanted: readonly ImportedFactor[], held: readonly z.output<typeof existingRow>[]) {
  const k = (key: string, usage: string) => `${usage}\u0000${key}`;
  const have = new Map(held.map((h) => [k(h.key, h.usage), h]));
  let added = 0;
  let updated = 0;
  for (const w of wanted) {
    const h = have.get(k(w.key, w.usage));
    if (!h) added++;
    else if (h.type !== w.type || h.uv !== w.uv || h.label !== w.label || h.channel !== w.channel) updated++;
  }
  const keep = new Set(wanted.map((w) => k(w.key, w.usage)));
  return { added, updated, revoked: held.filter((h) => !keep.has(k(h.key, h.usage))).length };
}

/**
 * Set-based, from the run's ok rows: revoke what the source no longer lists for those people, insert or update
 * what it lists (only rows that differ), then refresh their posture once — the per-statement triggers are held
 * off meanwhile, so 100k people are refreshed once, not three times. One `factor.import` audit event; each
 * person's change stays in the run's rows.
 */
async function applyFactors(ctx: Ctx, run: RunInfo, source: FactorSource) {
  const [{ previous }] = await queryRows(
    ctx.db,
    sql`SELECT coalesce(current_setting('lockstep.defer_posture', true), '') AS previous`,
    z.object({ previous: col.text }),
  );
  await ctx.db.execute(sql`SELECT set_config('lockstep.defer_posture', 'on', true)`);
  const wanted = sql`
    FROM import_rows r CROSS JOIN LATERAL jsonb_to_recordset(r.data->'factors')
         AS f(key text, method text, type text, usage text, uv boolean, label text, channel text, "enrolledAt" timestamptz)
   WHERE r.run_id = ${run.id} AND r.status = 'ok'`;
  const [revoked] = await queryRows(
    ctx.db,
    sql`
    WITH gone AS (
      UPDATE authenticators a SET status = 'revoked'
        FROM import_rows r
       WHERE r.run_id = ${run.id} AND r.status = 'ok' AND a.identity_id = r.target_id
         AND a.source = ${source} AND a.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(r.data->'factors') AS f(key text, usage text)
                          WHERE f.key = a.source_key AND f.usage = a.usage::text)
      RETURNING a.id)
    SELECT count(*)::int AS n FROM gone`,
    z.object({ n: col.int }),
  );
  const [written] = await queryRows(
    ctx.db,
    sql`
    WITH w AS (
      INSERT INTO authenticators (identity_id, type, usage, status, user_verification, label, channel, enrolled_at,
                                  source, source_key, source_method)
      SELECT r.target_id, f.type::authenticator_type, f.usage::authenticator_usage, 'active', f.uv, f.label, f.channel,
             coalesce(f."enrolledAt", ${ctx.now.toISOString()}::timestamptz), ${source}, f.key, f.method
        ${wanted}
      ON CONFLICT (identity_id, source, source_key, usage) WHERE source IS NOT NULL AND status = 'active'
      DO UPDATE SET type = excluded.type, user_verification = excluded.user_verification, label = excluded.label,
                    channel = excluded.channel, source_method = excluded.source_method
       WHERE (authenticators.type, authenticators.user_verification, authenticators.label, authenticators.channel,
              authenticators.source_method)
             IS DISTINCT FROM (excluded.type, excluded.user_verification, excluded.label, excluded.channel, excluded.source_method)
      RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted)::int AS added, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM w`,
    z.object({ added: col.int, updated: col.int }),
  );
  await ctx.db.execute(sql`SELECT set_config('lockstep.defer_posture', ${previous}, true)`);
  // Everyone applied had a change (unchanged people were skipped at the preview).
  await ctx.db.execute(sql`
    SELECT refresh_identity_posture(ARRAY(SELECT target_id::int FROM import_rows WHERE run_id = ${run.id} AND status = 'ok'))`);
  const result: FactorImportResult = {
    source,
    people: run.rowsOk,
    added: written.added,
    updated: written.updated,
    revoked: revoked.n,
  };
  await writeAudit(ctx, {
    action: "factor.import",
    target: { type: "import_run", id: run.id, label: `${SOURCE_LABELS[source]} factors: ${run.fileName ?? "file"}` },
    after: result,
    metadata: { fileName: run.fileName, digest: run.fileDigest, importRun: run.id, settings: run.summary.settings },
  });
  return { applied: run.rowsOk, result };
}
