import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { userActor } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { Forbidden } from "@/lib/errors";
import { ctxAs, ctxByName } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { requestBreakGlass } from "./commands";
import { previewPoolHealth } from "./detail";
import { listRequests, REQUEST_CSV_HEADER, requestCsvRows } from "./list";
import { emergencyEntitlements, requestFormContext, searchRecoverySubjects } from "./queries";
import { DEFAULT_BREAK_GLASS_POLICY } from "./rules";

process.env.LOCKSTEP_JOBS = "local";

/** The reads behind the break-glass screens: the list's keyset pages and scope, the form's pickers, the preview. */
describe("break-glass screens' reads", () => {
  it("pages the list with keysets, pending first, without gaps or repeats, and filters it", async () => {
    await rollback(async (db) => {
      const sam = await ctxByName(db, "Sam Rivera");
      const all = await listRequests(sam, { limit: 500 });
      expect(all.items.length).toBeGreaterThan(3);
      const seen: number[] = [];
      let after: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await listRequests(sam, { limit: 3, after });
        seen.push(...page.items.map((r) => r.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual(all.items.map((r) => r.id));
      const firstNotPending = all.items.findIndex((r) => r.status !== "pending");
      expect(all.items.slice(firstNotPending).some((r) => r.status === "pending")).toBe(false);
      // The previous page of the second page is the first.
      const first = await listRequests(sam, { limit: 3 });
      const second = await listRequests(sam, { limit: 3, after: first.next ?? undefined });
      const back = await listRequests(sam, { limit: 3, before: second.prev ?? undefined });
      expect(back.items.map((r) => r.id)).toEqual(first.items.map((r) => r.id));

      const open = await listRequests(sam, { status: "open", limit: 500 });
      expect(open.items.every((r) => ["pending", "approved", "active"].includes(r.status))).toBe(true);
      const recoveries = await listRequests(sam, { kind: "account_recovery", limit: 500 });
      expect(recoveries.items.every((r) => r.kind === "account_recovery")).toBe(true);
    });
  });

  it("shows people without break_glass.read only the requests they made or that are about them", async () => {
    await rollback(async (db) => {
      const [someone] = await rowsOf(
        db,
        sql`SELECT i.id, i.display_name AS name FROM break_glass_requests r JOIN identities i ON i.id = r.subject_id
             ORDER BY r.id LIMIT 1`,
        { id: col.num, name: col.text },
      );
      const ctx = makeCtx(userActor(Number(someone.id), someone.name, ["manager"]), db, TEST_NOW);
      const mine = await listRequests(ctx, { limit: 500 });
      expect(mine.items.length).toBeGreaterThan(0);
      for (const r of mine.items) expect([r.subject.id, r.requester.id]).toContain(Number(someone.id));
      const rows: unknown[][] = [];
      for await (const row of requestCsvRows(ctx, {})) rows.push(row);
      expect(rows).toHaveLength(mine.items.length);
      expect(rows[0]).toHaveLength(REQUEST_CSV_HEADER.length);
    });
  });

  it("offers emergency access to privileged entitlements on the caller's systems, marking held and asked-for ones", async () => {
    await rollback(async (db) => {
      const avery = await ctxByName(db, "Avery Chen");
      const offered = await emergencyEntitlements(avery);
      expect(offered.length).toBeGreaterThan(0);
      const pick = offered.find((e) => !e.held && !e.openRequest);
      expect(pick).toBeDefined();
      const { requestId } = await requestBreakGlass(avery, {
        kind: "emergency_access",
        entitlementId: pick!.id,
        durationMinutes: 60,
        reasonCode: "incident_response",
        reason: "INC-1: the screens test asks for this",
        ticketRef: undefined,
      });
      const again = await emergencyEntitlements(avery);
      expect(again.find((e) => e.id === pick!.id)?.openRequest).toBe(requestId);
      expect(new Set(again.map((e) => e.id)).size).toBe(again.length);
    });
  });

  it("finds recovery subjects with their strength, for analysts only", async () => {
    await rollback(async (db) => {
      const found = await searchRecoverySubjects(await ctxAs(db, ["analyst"]), "hiro");
      expect(found.map((p) => p.name)).toContain("Hiro Tanaka");
      expect(found[0].strength).toBeGreaterThanOrEqual(0);
      await expect(searchRecoverySubjects(await ctxAs(db, ["approver"]), "hiro")).rejects.toThrow(Forbidden);
      const form = await requestFormContext(await ctxAs(db, ["manager"]));
      expect(form.policy.requiredApprovals).toBeGreaterThanOrEqual(2);
    });
  });

  it("checks the approver pool against a draft policy (admins) without saving it", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const tooMany = await previewPoolHealth(admin, { ...DEFAULT_BREAK_GLASS_POLICY, requiredApprovals: 5 });
      expect(tooMany.canBeMet).toBe(false);
      expect(tooMany.required).toBe(5);
      const fine = await previewPoolHealth(admin, DEFAULT_BREAK_GLASS_POLICY);
      expect(fine.canBeMet).toBe(true);
      await expect(previewPoolHealth(await ctxAs(db, ["approver"]), DEFAULT_BREAK_GLASS_POLICY)).rejects.toThrow(
        Forbidden,
      );
    });
  });
});
