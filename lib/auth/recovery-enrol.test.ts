import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { approveBreakGlass, requestBreakGlass } from "@/lib/break-glass/commands";
import { Invalid } from "@/lib/errors";
import { ctxAs, ctxByName } from "@/lib/testing/actors";
import { SoftAuthenticator } from "@/lib/testing/authenticator";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
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
});
