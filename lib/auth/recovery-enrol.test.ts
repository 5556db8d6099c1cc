import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { col } from "@/db/rows";
import { approveBreakGlass, disputeBreakGlass, requestBreakGlass } from "@/lib/break-glass/commands";
import { makeCtx } from "@/lib/context";
import { Invalid } from "@/lib/errors";
import { ctxAs, ctxByName } from "@/lib/testing/actors";
import { SoftAuthenticator } from "@/lib/testing/authenticator";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { checkConsoleSession, startConsoleSession } from "./console-sessions";
import { beginPassEnrolment, finishPassEnrolment } from "./recovery-enrol";
import { relyingParty } from "./relying-party";
import { finishPassEnrolmentInput } from "./schemas";

process.env.LOCKSTEP_JOBS = "local";

describe("recovery with an enrolment pass (Lockstep as the relying party)", () => {
  it("enrols a passkey for the pass's subject without a session, once; a wrong or used pass opens nothing", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const { requestId } = await requestBreakGlass(analyst, {
        kind: "account_recovery",
        recoveryFactor: "passkey_device_bound",
        reasonCode: "lost_factor",
        reason: "Laptop with the only passkey was stolen",
        ticketRef: undefined,
      });
      const proofed = { videoCallWithId: true, managerConfirmed: false, inPerson: false };
      await approveBreakGlass(await ctxByName(db, "Sam Rivera"), { requestId, checklist: proofed });
      const done = await approveBreakGlass(await ctxByName(db, "Noor Haddad"), { requestId, checklist: proofed });
      const pass = done.pass?.secret as string;

      await expect(beginPassEnrolment(db, { pass: "not-the-pass-at-all" }, TEST_NOW)).rejects.toThrow(Invalid);
      const begun = await beginPassEnrolment(db, { pass }, TEST_NOW);
      expect(begun.name).toBe(analyst.actor.name);
      const authenticator = new SoftAuthenticator(relyingParty().origin);
      const input = finishPassEnrolmentInput.parse({
        pass,
        challengeId: begun.challengeId,
        response: authenticator.create(begun.options),
        name: "New laptop",
      });
      const result = await finishPassEnrolment(db, input, TEST_NOW);
      expect(result.factor).toBe("passkey_device_bound");
      const [stored] = await rowsOf(
        db,
        sql`SELECT identity_id, credential_id FROM console_passkeys WHERE id = ${result.passkeyId}`,
        { identity_id: col.int, credential_id: col.text },
      );
      expect(stored).toEqual({ identity_id: analyst.actor.id, credential_id: authenticator.id });
      const [used] = await rowsOf(
        db,
        sql`SELECT used_for::text AS used_for FROM enrolment_passes WHERE request_id = ${requestId}`,
        {
          used_for: col.text,
        },
      );
      expect(used.used_for).toBe("passkey_device_bound");
      // Used up: neither a new ceremony nor a replay of this one.
      await expect(beginPassEnrolment(db, { pass }, TEST_NOW)).rejects.toThrow(/not valid/);
      await expect(finishPassEnrolment(db, input, TEST_NOW)).rejects.toThrow(/not valid/);
    });
  });

  it("a disputed recovery removes the passkey its pass enrolled and ends the passkey sessions begun since", async () => {
    await rollback(async (db) => {
      const subject = await ctxAs(db, ["analyst"]);
      const me = subject.actor.id as number;
      const { requestId } = await requestBreakGlass(subject, {
        kind: "account_recovery",
        recoveryFactor: "passkey_device_bound",
        reasonCode: "lost_factor",
        reason: "Laptop with the only passkey was stolen",
        ticketRef: undefined,
      });
      const proofed = { videoCallWithId: true, managerConfirmed: true, inPerson: false };
      await approveBreakGlass(await ctxByName(db, "Sam Rivera"), { requestId, checklist: proofed });
      const done = await approveBreakGlass(await ctxByName(db, "Noor Haddad"), { requestId, checklist: proofed });
      const pass = done.pass?.secret as string;
      // The subject's own passkey from before stays: only what the pass enrolled goes.
      await db.execute(
        sql`INSERT INTO console_passkeys (identity_id, credential_id, public_key, name) VALUES (${me}, 'their-own', 'pk', 'Own key')`,
      );
      const begun = await beginPassEnrolment(db, { pass }, TEST_NOW);
      const authenticator = new SoftAuthenticator(relyingParty().origin);
      const enrolled = await finishPassEnrolment(
        db,
        finishPassEnrolmentInput.parse({
          pass,
          challengeId: begun.challengeId,
          response: authenticator.create(begun.options),
          name: "Impostor laptop",
        }),
        TEST_NOW,
      );
      const at = (min: number) => new Date(TEST_NOW.getTime() + min * 60_000);
      // Whoever used the pass signed in with its passkey; the subject has an older passkey session and a demo one.
      const since = await startConsoleSession(db, { identityId: me, method: "passkey", now: at(1) });
      const before = await startConsoleSession(db, { identityId: me, method: "passkey", now: at(-30) });
      const demo = await startConsoleSession(db, { identityId: me, method: "demo", now: at(1) });

      const disputed = await disputeBreakGlass(makeCtx(subject.actor, db, at(2)), { requestId });
      expect(disputed).toMatchObject({ status: "disputed", passkeysRemoved: 1, sessionsEnded: 1 });
      const left = await rowsOf(db, sql`SELECT name FROM console_passkeys WHERE identity_id = ${me}`, {
        name: col.text,
      });
      expect(left).toEqual([{ name: "Own key" }]);
      expect(await checkConsoleSession(db, since, me, at(3))).toBe(false);
      expect(await checkConsoleSession(db, before, me, at(3))).toBe(true);
      expect(await checkConsoleSession(db, demo, me, at(3))).toBe(true);
      const [audit] = await rowsOf(
        db,
        sql`SELECT after->'passkeysRemoved' AS removed FROM audit_events WHERE action = 'break_glass.dispute' AND target_id = ${String(requestId)}`,
        { removed: col.json(z.array(z.number())) },
      );
      expect(audit.removed).toEqual([enrolled.passkeyId]);
    });
  });
});
