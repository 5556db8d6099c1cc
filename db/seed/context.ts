import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Scale, ScaleParams } from "./scale";

/** What every seed step receives: the transaction, the scale, a fixed "now" and a progress logger. */
export type SeedCtx = {
  db: Db;
  scale: Scale;
  p: ScaleParams;
  now: Date;
  /** `now` as a SQL literal: every timestamp in the seed is an offset from it. */
  NOW: string;
  log: (line: string) => void;
  startedAt: number;
  /** Story identities by key (e.g. "maya") → id, filled by the org step. */
  ids: Record<string, number>;
};

function elapsed(ctx: SeedCtx): string {
  return `${((Date.now() - ctx.startedAt) / 1000).toFixed(1).padStart(6)}s`;
}

export function say(ctx: SeedCtx, line: string): void {
  ctx.log(`[${elapsed(ctx)}] ${line}`);
}

type ExecResult = { rows?: unknown[]; rowCount?: number | null; affectedRows?: number };

/** Runs one statement (raw text or a drizzle SQL) and returns the rows it changed. */
export async function exec(ctx: SeedCtx, query: string | SQL): Promise<number> {
  const res = (await ctx.db.execute(typeof query === "string" ? sql.raw(query) : query)) as unknown as ExecResult;
  return Number(res.rowCount ?? res.affectedRows ?? 0);
}

/** Runs a query and returns its rows (cast numbers in SQL with ::int / ::float8: drivers differ on int8). */
export async function rows<T>(ctx: SeedCtx, query: string | SQL): Promise<T[]> {
  const res = (await ctx.db.execute(typeof query === "string" ? sql.raw(query) : query)) as unknown as ExecResult;
  return (res.rows ?? []) as T[];
}

/**
 * A temporary lookup table filled from TypeScript data (one JSON parameter, portable to both drivers),
 * dropped when the seed transaction commits.
 */
export async function loadTemp(ctx: SeedCtx, name: string, columns: string, data: readonly object[]): Promise<void> {
  await exec(ctx, `CREATE TEMP TABLE ${name} (${columns}) ON COMMIT DROP`);
  const names = columns
    .split(",")
    .map((c) => c.trim().split(/\s+/)[0])
    .join(", ");
  for (let i = 0; i < data.length; i += 20_000) {
    const json = JSON.stringify(data.slice(i, i + 20_000));
    await exec(
      ctx,
      sql`INSERT INTO ${sql.raw(name)} (${sql.raw(names)})
      SELECT ${sql.raw(names)} FROM jsonb_to_recordset(${json}::jsonb) AS x(${sql.raw(columns)})`,
    );
  }
}

/** `now - days` rounded to the second, as SQL. */
export const daysAgo = (ctx: SeedCtx, days: string): string =>
  `(${ctx.NOW} - round((${days}) * 86400) * interval '1 second')`;

/** Runs `fn` over [lo, hi] in chunks of `size`, printing one progress line per chunk when there are several. */
export async function chunked(
  ctx: SeedCtx,
  label: string,
  lo: number,
  hi: number,
  size: number,
  fn: (from: number, to: number) => Promise<number>,
): Promise<number> {
  let total = 0;
  const chunks = Math.max(1, Math.ceil((hi - lo + 1) / size));
  for (let from = lo; from <= hi; from += size) {
    const to = Math.min(hi, from + size - 1);
    total += await fn(from, to);
    if (chunks > 1)
      say(
        ctx,
        `  ${label}: ${(to - lo + 1).toLocaleString("en-US")} / ${(hi - lo + 1).toLocaleString("en-US")} (${total.toLocaleString("en-US")} rows)`,
      );
  }
  return total;
}

/**
 * Refreshes planner statistics for tables just filled inside the seed transaction (ANALYZE counts the
 * transaction's own rows), so later INSERT … SELECT joins over them get hash joins, not nested loops.
 */
export async function analyze(ctx: SeedCtx, ...tables: string[]): Promise<void> {
  for (const t of tables) await exec(ctx, `ANALYZE ${t}`);
}

/**
 * Bulk-load helper: drops the plain secondary indexes of `tables` (never a primary key, unique index or
 * any index backing a constraint), runs `fn`, and recreates them from their exact definitions. Building an
 * index once after the load is far cheaper than maintaining it row by row. Inside the seed transaction, so a
 * failure leaves the schema untouched.
 */
export async function withSecondaryIndexesDeferred<T>(
  ctx: SeedCtx,
  tables: string[],
  fn: () => Promise<T>,
): Promise<T> {
  const list = tables.map((t) => `'${t}'`).join(",");
  const defs = await rows<{ name: string; def: string }>(
    ctx,
    `
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename IN (${list}) AND i.indexdef NOT LIKE 'CREATE UNIQUE%'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ('public.' || quote_ident(i.indexname))::regclass)
     ORDER BY i.indexname`,
  );
  for (const d of defs) await exec(ctx, `DROP INDEX public.${d.name}`);
  const result = await fn();
  for (const d of defs) await exec(ctx, d.def);
  return result;
}
