import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportPeople } from "@/app/api/people/export/route";
import { getDatabase } from "@/db/client";
import { col } from "@/db/rows";
import { userActor } from "@/lib/authz";
import { type AnyRouteSpec, runAction, runRoute } from "@/lib/edge/core";
import { actorWith } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { consumeRateLimit } from "./rate-limit";

/** Hardening finding 8: exports, imports, sign-in and SCIM are throttled; beyond the limit, 429 with Retry-After. */
describe("rate limits", () => {
  const saved = process.env.LOCKSTEP_RATE_LIMITS;
  beforeAll(() => {
    process.env.LOCKSTEP_RATE_LIMITS = "export=2/60,sign_in=3/60";
  });
  afterAll(() => {
    process.env.LOCKSTEP_RATE_LIMITS = saved;
  });

  const exportAs = (actor: Awaited<ReturnType<typeof actorWith>>) =>
    runRoute(exportPeople.spec as AnyRouteSpec, actor, new Request("http://localhost/api/people/export?q=zz"), {
      params: Promise.resolve({}),
    });

  it("answers a person's third export in a minute with 429 and Retry-After; another person is not held up", async () => {
    const db = await testDb();
    const analyst = await actorWith(db, ["analyst"]);
    const [first, second] = [analyst, userActor(analyst.id + 1, "Another analyst", ["analyst"])];
    const exportsBy = async (id: number) =>
      (
        await rowsOf(
          db,
          sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'people.export' AND actor_id = ${id}`,
          { n: col.num },
        )
      )[0].n;
    const before = await exportsBy(first.id);
    expect((await exportAs(first)).status).toBe(200);
    expect((await exportAs(first)).status).toBe(200);
    const third = await exportAs(first);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(third.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(await third.json()).toMatchObject({ ok: false, code: "rate_limited" });
    expect((await exportAs(second)).status).toBe(200);
    // A refused export records no export event (the audit log says what left, not what was asked).
    expect((await exportsBy(first.id)) - before).toBe(2);
    // On PostgreSQL the counters live in the database, where every process of the deployment sees them.
    if ((await getDatabase()).driver === "postgres") {
      const rows = await rowsOf(
        db,
        sql`SELECT points FROM rate_limits WHERE key = ${`export:2/60:person:${first.id}`}`,
        {
          points: col.num,
        },
      );
      expect(rows[0]?.points).toBe(3);
    }
  });

  it("counts sign-in attempts per address, whoever they are for", async () => {
    const address = `address:203.0.113.${Math.floor(Math.random() * 200)}`;
    for (let i = 0; i < 3; i++) await consumeRateLimit("sign_in", address);
    await expect(consumeRateLimit("sign_in", address)).rejects.toMatchObject({ code: "rate_limited" });
    await expect(consumeRateLimit("sign_in", "address:198.51.100.7")).resolves.toBeUndefined();
  });

  it("maps the refusal of an action to the rate_limited failure with the seconds to wait", async () => {
    const db = await testDb();
    const actor = userActor((await actorWith(db, ["analyst"])).id + 2, "A third analyst", ["analyst"]);
    const spec = { name: "people.export", permission: "people.export", rateLimit: "export", input: undefined } as const;
    const action = { ...spec, input: (await import("zod")).z.unknown(), run: async () => "ok" };
    expect(await runAction(action, actor, {})).toEqual({ ok: true, data: "ok" });
    expect(await runAction(action, actor, {})).toEqual({ ok: true, data: "ok" });
    expect(await runAction(action, actor, {})).toMatchObject({
      ok: false,
      code: "rate_limited",
      retryAfter: expect.any(Number),
    });
  });
});
