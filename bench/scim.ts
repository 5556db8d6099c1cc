import { sql } from "drizzle-orm";
import { z } from "zod";
import { type DbHandle, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { machineActor } from "@/lib/authz";
import { runRoute } from "@/lib/edge/core";
import { listUsersEndpoint } from "@/lib/scim/users/endpoints";
import { type BenchSuite, type Measurement, timeIt } from "./types";

/**
 * Inbound SCIM at the large seed (issue 11): `GET /Users?filter=userName eq "…"` — what Entra and Okta send before
 * every create — under 20 ms at 100k identities, through the route's handler (edge, filter parser, SQL, JSON),
 * with the provisioning client's token lookup stubbed (it is one indexed read). Also reported: the same lookup in
 * upper case (userName is case-insensitive: one expression index serves both) and an unfiltered first page of 100
 * with its totalResults.
 */
const client = machineActor(0, "bench provisioning client", "provisioning");

async function get(path: string): Promise<{ status: number; body: { totalResults: number } }> {
  const res = await runRoute(
    listUsersEndpoint,
    null,
    new Request(`http://localhost/scim/v2${path}`, { headers: { authorization: "Bearer bench" } }),
    { params: Promise.resolve({}) },
    async () => client,
  );
  return { status: res.status, body: await res.json() };
}

async function run(handle: DbHandle, log: (line: string) => void): Promise<Measurement[]> {
  const db = handle.db;
  process.env.LOCKSTEP_SCIM_RATE = "1000000";
  const [{ n }] = await queryRows(
    db,
    sql`SELECT count(*)::int AS n FROM identities WHERE kind = 'human'`,
    z.object({ n: col.int }),
  );
  log(`${n.toLocaleString("en-US")} people`);
  // Someone deep in the table, so nothing is served from the first pages' cache by luck.
  const names = await queryRows(
    db,
    sql`SELECT coalesce(user_name, email) AS user_name FROM identities WHERE kind = 'human' AND email IS NOT NULL
         ORDER BY id DESC OFFSET 1000 LIMIT 50`,
    z.object({ user_name: col.text }),
  );
  if (names.length === 0) throw new Error("no people in this database: seed it with npm run seed -- --scale large");
  const lookup = (u: string) => `/Users?filter=${encodeURIComponent(`userName eq "${u}"`)}`;
  const first = await get(lookup(names[0].user_name));
  if (first.status !== 200 || first.body.totalResults !== 1)
    throw new Error(`lookup answered ${JSON.stringify(first)}`);
  const [plan] = await queryRows(
    db,
    sql`EXPLAIN SELECT id FROM identities WHERE lower(coalesce(user_name, email)) = ${names[0].user_name.toLowerCase()}`,
    z.object({ "QUERY PLAN": col.text }),
  );
  log(`plan: ${plan["QUERY PLAN"]}`);

  let i = 0;
  const exact = await timeIt(() => get(lookup(names[i++ % names.length].user_name)), 30, 10);
  const upper = await timeIt(() => get(lookup(names[i++ % names.length].user_name.toUpperCase())), 30, 10);
  const page = await timeIt(() => get("/Users?startIndex=1&count=100"), 10, 2);
  log(`userName eq: median ${exact.median.toFixed(1)} ms, p95 ${exact.p95.toFixed(1)} ms`);
  return [
    {
      name: 'GET /Users?filter=userName eq "…" (median)',
      value: exact.median,
      unit: "ms",
      target: { max: 20 },
      note: `p95 ${exact.p95.toFixed(1)} ms`,
    },
    { name: "… userName in another case (median)", value: upper.median, unit: "ms", target: { max: 20 } },
    { name: "GET /Users first page of 100 + totalResults (median)", value: page.median, unit: "ms" },
  ];
}

export const scimBench: BenchSuite = { name: "scim", run };
