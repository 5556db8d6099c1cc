import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeCaseAction, executeCasesAction } from "@/app/(console)/leavers/actions";
import { col } from "@/db/rows";
import { assignOwnerInput, credentialIdInput } from "@/lib/api-scopes/schemas";
import { runAction } from "@/lib/edge/core";
import { runInput } from "@/lib/imports/schemas";
import { peopleListInput } from "@/lib/people/schemas";
import { revokeTokenInput } from "@/lib/scim/tokens";
import { actorWith } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { idField, idParam, isoDay, queryOf } from "./input";

/**
 * Hardening finding 9: a JSON `true` sent as an id was coerced to 1 and acted on (a case closed, a credential revoked).
 * An id is an integer in JSON or a string of digits from a form or URL — nothing else reaches a service.
 */
describe("ids in input", () => {
  it("accepts an integer or a string of digits and refuses everything coercion would have turned into a number", () => {
    expect(idField.parse(7)).toBe(7);
    expect(idField.parse("7")).toBe(7);
    for (const bad of [true, false, [1], "1e0", " 1", "0x1", "1.0", 1.5, 0, -1, 2 ** 31, "99999999999", null, "", {}]) {
      expect(idField.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(idParam.safeParse("12").success).toBe(true);
    expect(idParam.safeParse("true").success).toBe(false);
  });

  it("is the rule in the actions' schemas", () => {
    expect(credentialIdInput.safeParse({ credentialId: true }).success).toBe(false);
    expect(credentialIdInput.safeParse({ credentialId: "4" }).data).toEqual({ credentialId: 4 });
    expect(revokeTokenInput.safeParse({ clientId: [3] }).success).toBe(false);
    expect(runInput.safeParse({ runId: true }).success).toBe(false);
    expect(assignOwnerInput.safeParse({ credentialId: 1, ownerId: true }).success).toBe(false);
  });

  it("answers a JSON `true` sent to a server action as an id with a 400-class failure and acts on nothing", async () => {
    const db = await testDb();
    const analyst = await actorWith(db, ["analyst"]);
    const closed = async () =>
      (await rowsOf(db, sql`SELECT count(*)::int AS n FROM leaver_cases WHERE status = 'closed'`, { n: col.num }))[0].n;
    const before = await closed();
    expect(await runAction(closeCaseAction.spec, analyst, { caseId: true })).toMatchObject({
      ok: false,
      code: "invalid",
    });
    expect(await runAction(executeCasesAction.spec, analyst, { caseIds: [true, "1"] })).toMatchObject({
      ok: false,
      code: "invalid",
    });
    expect(await closed()).toBe(before);
  });
});

/** Hardening finding 9: odd query strings on a page are dropped, not a failed render. */
describe("days and page query strings", () => {
  it("accepts only days that exist", () => {
    expect(isoDay.safeParse("2024-02-29").success).toBe(true);
    expect(isoDay.safeParse("2026-02-30").success).toBe(false);
    expect(isoDay.safeParse("2026-13-01").success).toBe(false);
  });

  it("drops the query-string values a page cannot use and keeps the rest", () => {
    const input = queryOf(peopleListInput, { q: "chen", limit: "-1", after: "x".repeat(600) });
    expect(input).toMatchObject({ q: "chen", limit: 50 });
    expect(input.after).toBeUndefined();
  });
});
