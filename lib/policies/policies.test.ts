import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { loadPolicy } from "@/lib/api-scopes/policy";
import { loadSessionPolicy } from "@/lib/auth/console-sessions";
import { loadLeaverPolicy } from "@/lib/leavers/policy";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { loadPolicies, policiesInput, updatePolicies } from "./policies";

describe("policies", () => {
  it("saves what changed where the product reads it, one audit event per changed value", async () => {
    await rollback(async (db) => {
      const admin = await ctxAs(db, ["admin"]);
      const before = await loadPolicies(admin);
      const next = policiesInput.parse({
        ...before,
        sla: { ...before.sla, layoff: { anchor: "effective_time", minutes: 120 } },
        orgTimeZone: "Europe/Berlin",
        rotationMaxDays: 30,
        sessionIdleMinutes: 15,
      });
      const { changed } = await updatePolicies(admin, next);
      expect(changed.sort()).toEqual(["org_time_zone", "rotation_max_days", "session_idle_minutes", "sla.layoff"]);

      const leaver = await loadLeaverPolicy(db);
      expect(leaver.sla.layoff).toMatchObject({ anchor: "effective_time", minutes: 120 });
      expect(leaver.timeZone).toBe("Europe/Berlin");
      expect((await loadPolicy(db)).rotationMaxDays).toBe(30);
      expect((await loadSessionPolicy(db)).idleMinutes).toBe(15);
      expect(await loadPolicies(admin)).toEqual(next);

      const events = await rowsOf(
        db,
        sql`SELECT action, target_id, before::text AS before, after::text AS after FROM audit_events
             WHERE action IN ('settings.update', 'sla.update') ORDER BY id DESC LIMIT 4`,
        { action: col.text, target_id: col.text, before: col.text, after: col.text },
      );
      expect(events.map((e) => `${e.action} ${e.target_id}`).sort()).toEqual([
        "settings.update org_time_zone",
        "settings.update rotation_max_days",
        "settings.update session_idle_minutes",
        "sla.update layoff",
      ]);
      const tz = events.find((e) => e.target_id === "org_time_zone")!;
      expect([JSON.parse(tz.before), JSON.parse(tz.after)]).toEqual([
        { value: before.orgTimeZone },
        { value: "Europe/Berlin" },
      ]);

      // Saving the same values again changes and audits nothing.
      expect((await updatePolicies(admin, next)).changed).toEqual([]);
    });
  });

  it("refuses values out of range and unknown time zones with the field named", async () => {
    await rollback(async (db) => {
      const base = await loadPolicies(await ctxAs(db, ["admin"]));
      const fields = (over: object) =>
        policiesInput.safeParse({ ...base, ...over }).error?.issues.map((i) => i.path.join("."));
      expect(fields({ orgTimeZone: "Mars/Olympus" })).toEqual(["orgTimeZone"]);
      expect(fields({ staleAfterDays: 0 })).toEqual(["staleAfterDays"]);
      expect(fields({ sessionAbsoluteHours: 48 })).toEqual(["sessionAbsoluteHours"]);
      expect(fields({ rotationMaxDays: 1.5 })).toEqual(["rotationMaxDays"]);
      expect(fields({ sla: { ...base.sla, voluntary: { anchor: "whenever", minutes: -1 } } })).toEqual([
        "sla.voluntary.anchor",
        "sla.voluntary.minutes",
      ]);
    });
  });
});
