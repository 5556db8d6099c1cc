import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { consolePasskeys } from "@/db/schema";
import { meetsAssurance, STEP_UP, type UserActor } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { Invalid, NotFound, StepUpRequired, toFailure } from "@/lib/errors";
import { ctxAs, steppedUp } from "@/lib/testing/actors";
import { SoftAuthenticator } from "@/lib/testing/authenticator";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { authenticationAtSignIn, readAuthentication, withStepUp } from "./authentication";
import { redeemStepUpGrant } from "./challenges.internal";
import { beginPasskeySignIn, passkeySignIn, verifyPasskeySignIn } from "./passkey-sign-in.internal";
import {
  beginRegistration,
  beginStepUp,
  finishRegistration,
  finishStepUp,
  listMyPasskeys,
  removePasskey,
  renamePasskey,
} from "./passkeys";
import { relyingParty } from "./relying-party";
import { finishAssertionInput, finishRegistrationInput } from "./schemas";
import { type AssertionRefusal, AssertionRefused, userHandle } from "./webauthn";

const ORIGIN = "https://lockstep.test";
process.env.LOCKSTEP_WEBAUTHN_ORIGIN = ORIGIN;
delete process.env.LOCKSTEP_WEBAUTHN_RP_ID;

const MINUTE = 60_000;
const at = (ctx: Ctx, ms: number): Ctx => ({ ...ctx, now: new Date(ctx.now.getTime() + ms) });

beforeAll(async () => {
  await testDb();
});

/** Enrols a fresh software passkey for the context's person, through the services the page's actions call. */
async function enrol(ctx: Ctx, name?: string, authenticator = new SoftAuthenticator(ORIGIN)) {
  const { challengeId, options } = await beginRegistration(ctx);
  const input = finishRegistrationInput.parse({ challengeId, response: authenticator.create(options), name });
  const passkey = await finishRegistration(ctx, input);
  return { authenticator, passkey };
}

/** A step-up: options, the authenticator's assertion, the server's check; returns the session grant. */
async function stepUp(ctx: Ctx, authenticator: SoftAuthenticator) {
  const begun = await beginStepUp(ctx);
  if (!begun.challengeId || !begun.options) throw new Error("no passkey to step up with");
  const response = authenticator.get(begun.options, userHandle(ctx.actor.id!));
  return finishStepUp(ctx, finishAssertionInput.parse({ challengeId: begun.challengeId, response }));
}

/** What every refused assertion says, whichever check failed (the reason is for the audit log). */
const REFUSED_WORDS = "The passkey was not accepted. Try again, or use another passkey.";
const refused = (reason: AssertionRefusal) => ({ reason, message: REFUSED_WORDS });

/** An assertion naming `victim`'s credential but signed by another key (a forged or corrupted signature). */
function forgedBy(victim: SoftAuthenticator, options: { challenge: string; rpId?: string }, handle: Uint8Array) {
  const forger = new SoftAuthenticator(ORIGIN);
  forger.counter = victim.counter + 5;
  return { ...forger.get(options, handle), id: victim.id, rawId: victim.id };
}

const denials = (db: Db, action: "auth.sign_in_denied" | "auth.step_up_denied") =>
  rowsOf(
    db,
    sql`SELECT actor_id, actor_label, target_type, target_id, metadata->>'reason' AS reason,
               (metadata->>'passkeyId')::int AS passkey_id, prev_hash,
               (SELECT p.hash FROM audit_events p WHERE p.id < e.id ORDER BY p.id DESC LIMIT 1) AS previous_hash
          FROM audit_events e
         -- the seed's own refusals (OIDC, a leaver) are not these tests'
         WHERE action = ${action} AND (action = 'auth.step_up_denied' OR metadata->>'provider' = 'passkey')
         ORDER BY id`,
    {
      actor_id: col.intOrNull,
      actor_label: col.text,
      target_type: col.text,
      target_id: col.text,
      reason: col.text,
      passkey_id: col.intOrNull,
      prev_hash: col.text,
      previous_hash: col.text,
    },
  );

const eventsNamed = async (db: Db, action: string) =>
  rowsOf(db, sql`SELECT target_id, after, before FROM audit_events WHERE action = ${action} ORDER BY id`, {
    target_id: col.text,
    after: z.unknown(),
    before: z.unknown(),
  });

describe("the relying party comes from configuration", () => {
  it("defaults to the local server, takes the origin's host as RP id, and refuses an RP id the origin cannot use", () => {
    expect(relyingParty({})).toEqual({ id: "localhost", name: "Lockstep", origin: "http://localhost:3000" });
    expect(relyingParty({ PORT: "4100" }).origin).toBe("http://localhost:4100");
    expect(relyingParty({ AUTH_URL: "https://console.example.com/lockstep" })).toMatchObject({
      id: "console.example.com",
      origin: "https://console.example.com",
    });
    expect(
      relyingParty({
        LOCKSTEP_WEBAUTHN_ORIGIN: "https://console.example.com",
        LOCKSTEP_WEBAUTHN_RP_ID: "example.com",
        LOCKSTEP_WEBAUTHN_RP_NAME: "Acme Lockstep",
      }),
    ).toEqual({ id: "example.com", name: "Acme Lockstep", origin: "https://console.example.com" });
    expect(() =>
      relyingParty({ LOCKSTEP_WEBAUTHN_ORIGIN: "https://console.example.com", LOCKSTEP_WEBAUTHN_RP_ID: "evil.com" }),
    ).toThrow(/LOCKSTEP_WEBAUTHN_RP_ID/);
  });
});

describe("enrolling console passkeys", () => {
  it("verifies the authenticator's answer, stores the public key and counter, and audits it", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const { authenticator, passkey } = await enrol(ctx, "Work laptop");
      const [row] = await db.select().from(consolePasskeys).where(eq(consolePasskeys.id, passkey.id));
      expect(row).toMatchObject({
        identityId: ctx.actor.id,
        credentialId: authenticator.id,
        counter: 0,
        transports: ["internal"],
        name: "Work laptop",
      });
      expect(await listMyPasskeys(ctx)).toEqual([expect.objectContaining({ id: passkey.id, name: "Work laptop" })]);
      const [event] = await eventsNamed(db, "passkey.register");
      expect(event).toMatchObject({ target_id: String(passkey.id), after: { name: "Work laptop" } });
    });
  });

  it("uses each challenge once, only until it expires, and only for the person it was issued to", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const other = await ctxAs(db, ["admin"]);
      const authenticator = new SoftAuthenticator(ORIGIN);

      const first = await beginRegistration(ctx);
      const input = finishRegistrationInput.parse({
        challengeId: first.challengeId,
        response: authenticator.create(first.options),
      });
      await expect(finishRegistration(other, input)).rejects.toThrow(Invalid);
      // The other person's attempt did not use it up (it was never theirs); the owner's does.
      await finishRegistration(steppedUp(ctx), input);
      await expect(finishRegistration(steppedUp(ctx), input)).rejects.toThrow(/expired or was already used/);

      const late = await beginRegistration(steppedUp(ctx));
      const lateInput = finishRegistrationInput.parse({
        challengeId: late.challengeId,
        response: new SoftAuthenticator(ORIGIN).create(late.options),
      });
      await expect(finishRegistration(steppedUp(at(ctx, 4 * MINUTE)), lateInput)).rejects.toThrow(/expired/);
      expect(await listMyPasskeys(ctx)).toHaveLength(1);
    });
  });

  it("refuses an answer made for another origin, or for another challenge", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const phished = await beginRegistration(ctx);
      const fromElsewhere = new SoftAuthenticator("https://lockstep.test.evil.example", "lockstep.test");
      await expect(
        finishRegistration(
          ctx,
          finishRegistrationInput.parse({
            challengeId: phished.challengeId,
            response: fromElsewhere.create(phished.options),
          }),
        ),
      ).rejects.toThrow(/could not be registered/);

      const a = await beginRegistration(ctx);
      const b = await beginRegistration(ctx);
      const forB = new SoftAuthenticator(ORIGIN).create(b.options);
      await expect(
        finishRegistration(ctx, finishRegistrationInput.parse({ challengeId: a.challengeId, response: forB })),
      ).rejects.toThrow(Invalid);
      expect(await listMyPasskeys(ctx)).toEqual([]);
    });
  });

  it("asks for a step-up before adding a second passkey (a hijacked session cannot add its own)", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["manager"]);
      await enrol(ctx);
      await expect(beginRegistration(ctx)).rejects.toThrow(StepUpRequired);
      await enrol(steppedUp(ctx), "Backup key");
      expect((await listMyPasskeys(ctx)).map((p) => p.name)).toEqual(["Passkey 1", "Backup key"]);
    });
  });
});

describe("renaming and removing", () => {
  it("renames and removes one's own passkeys, auditing both; another person's are not found", async () => {
    await rollback(async (db) => {
      const owner = await ctxAs(db, ["analyst"]);
      const intruder = await ctxAs(db, ["admin"]);
      const { passkey } = await enrol(owner, "Phone");

      await expect(renamePasskey(intruder, { passkeyId: passkey.id, name: "Mine now" })).rejects.toThrow(NotFound);
      await expect(removePasskey(steppedUp(intruder), { passkeyId: passkey.id })).rejects.toThrow(NotFound);
      expect(await listMyPasskeys(owner)).toHaveLength(1);
      expect(await listMyPasskeys(intruder)).toEqual([]);

      await renamePasskey(owner, { passkeyId: passkey.id, name: "Personal phone" });
      expect(await eventsNamed(db, "passkey.rename")).toEqual([
        expect.objectContaining({ before: { name: "Phone" }, after: { name: "Personal phone" } }),
      ]);
      await removePasskey(owner, { passkeyId: passkey.id });
      expect(await listMyPasskeys(owner)).toEqual([]);
      expect(await eventsNamed(db, "passkey.remove")).toEqual([
        expect.objectContaining({ target_id: String(passkey.id), before: { name: "Personal phone" } }),
      ]);
    });
  });
});

describe("step-up", () => {
  it("has nothing to offer a person without a passkey", async () => {
    await rollback(async (db) => {
      expect(await beginStepUp(await ctxAs(db, ["approver"]))).toEqual({ challengeId: null, options: null });
    });
  });

  it("verifies a fresh assertion, moves the counter, and leaves a one-time grant only that person's session redeems", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["admin"]);
      const other = await ctxAs(db, ["analyst"]);
      const { authenticator, passkey } = await enrol(ctx);
      const later = at(ctx, 30 * MINUTE);
      const { grantId } = await stepUp(later, authenticator);

      const [row] = await db.select().from(consolePasskeys).where(eq(consolePasskeys.id, passkey.id));
      expect(row.counter).toBe(1);
      expect(row.lastUsedAt).toEqual(later.now);
      expect(await eventsNamed(db, "auth.step_up")).toHaveLength(1);

      const redeem = (identityId: number, now = later.now) => redeemStepUpGrant(db, { grantId, identityId, now });
      expect(await redeem(other.actor.id!)).toBeNull();
      expect(await redeem(ctx.actor.id!, new Date(later.now.getTime() + 2 * MINUTE))).toBeNull();
      expect(await redeem(ctx.actor.id!)).toEqual(later.now);
      expect(await redeem(ctx.actor.id!)).toBeNull();
    });
  });

  it("makes a demo session meet STEP_UP for 5 minutes after the step-up, and no longer", async () => {
    const signIn = authenticationAtSignIn({ provider: "demo" }, TEST_NOW);
    const stepUpAt = new Date(TEST_NOW.getTime() + 60 * MINUTE);
    const auth = readAuthentication(withStepUp(signIn, stepUpAt));
    expect(auth).toMatchObject({ method: "demo", authTime: TEST_NOW, stepUpAt });
    const actor: UserActor = { kind: "user", id: 1, name: "A", email: null, roles: ["admin"], auth };
    const secondsLater = (s: number) => new Date(stepUpAt.getTime() + s * 1000);
    expect(meetsAssurance(actor, STEP_UP, secondsLater(0))).toBe(true);
    expect(meetsAssurance(actor, STEP_UP, secondsLater(300))).toBe(true);
    expect(meetsAssurance(actor, STEP_UP, secondsLater(301))).toBe(false);
    expect(meetsAssurance({ ...actor, auth: readAuthentication(signIn) }, STEP_UP, secondsLater(0))).toBe(false);
  });

  it("refuses a replayed counter (a cloned authenticator), a used challenge, and another person's passkey", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["admin"]);
      const other = await ctxAs(db, ["analyst"]);
      const { authenticator } = await enrol(ctx);
      await stepUp(ctx, authenticator); // counter 1
      authenticator.counter = 1;
      await expect(stepUp(ctx, authenticator)).rejects.toMatchObject(refused("counter_regression"));

      const begun = await beginStepUp(ctx);
      const response = authenticator.get(begun.options!, userHandle(ctx.actor.id!));
      const input = finishAssertionInput.parse({ challengeId: begun.challengeId, response });
      await finishStepUp(ctx, input);
      await expect(finishStepUp(ctx, input)).rejects.toMatchObject(refused("challenge_expired"));

      // The analyst enrols their own and tries the admin's authenticator against their own challenge.
      await enrol(other);
      const theirs = await beginStepUp(other);
      const stolen = authenticator.get(theirs.options!, userHandle(ctx.actor.id!));
      await expect(
        finishStepUp(other, finishAssertionInput.parse({ challengeId: theirs.challengeId, response: stolen })),
      ).rejects.toMatchObject(refused("unknown_credential"));

      // Each refusal is in the audit chain with its reason, against the person who tried; nobody stepped up.
      const denied = await rowsOf(
        db,
        sql`SELECT actor_id, target_id, metadata->>'reason' AS reason FROM audit_events
             WHERE action = 'auth.step_up_denied' ORDER BY id`,
        { actor_id: col.int, target_id: col.text, reason: col.text },
      );
      expect(denied).toEqual([
        { actor_id: ctx.actor.id, target_id: String(ctx.actor.id), reason: "counter_regression" },
        { actor_id: ctx.actor.id, target_id: String(ctx.actor.id), reason: "challenge_expired" },
        { actor_id: other.actor.id, target_id: String(other.actor.id), reason: "unknown_credential" },
      ]);
      expect(await eventsNamed(db, "auth.step_up")).toHaveLength(2);
    });
  });

  it("refuses a signature made by another key and an expired challenge, with the same words as every refusal", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["approver"]);
      const { authenticator } = await enrol(ctx);

      const begun = await beginStepUp(ctx);
      const forged = forgedBy(authenticator, begun.options!, userHandle(ctx.actor.id!));
      const failure = await finishStepUp(
        ctx,
        finishAssertionInput.parse({ challengeId: begun.challengeId, response: forged }),
      ).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(AssertionRefused);
      expect(failure).toMatchObject({ reason: "bad_signature", message: REFUSED_WORDS, code: "invalid" });

      const late = await beginStepUp(ctx);
      const answer = authenticator.get(late.options!, userHandle(ctx.actor.id!));
      await expect(
        finishStepUp(
          at(ctx, 4 * MINUTE),
          finishAssertionInput.parse({ challengeId: late.challengeId, response: answer }),
        ),
      ).rejects.toMatchObject(refused("challenge_expired"));
      expect((await denials(db, "auth.step_up_denied")).map((d) => d.reason)).toEqual([
        "bad_signature",
        "challenge_expired",
      ]);
    });
  });
});

describe("signing in with a passkey", () => {
  it("finds the identity by its discoverable credential, checks the signature, and refuses the unknown", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["executive"]);
      const { authenticator } = await enrol(ctx);
      const now = new Date(TEST_NOW.getTime() + MINUTE);

      const signIn = async (a: SoftAuthenticator, handle = userHandle(ctx.actor.id!)) => {
        const { challengeId, options } = await beginPasskeySignIn(db, now);
        expect(options.allowCredentials).toEqual([]);
        const input = finishAssertionInput.parse({ challengeId, response: a.get(options, handle) });
        return verifyPasskeySignIn(db, input, now);
      };
      expect(await signIn(authenticator)).toMatchObject({ identityId: ctx.actor.id });
      await expect(signIn(new SoftAuthenticator(ORIGIN))).rejects.toMatchObject(refused("unknown_credential"));
      await expect(signIn(authenticator, userHandle(12345))).rejects.toMatchObject(refused("wrong_account"));
      expect(authenticationAtSignIn({ provider: "passkey" }, now)).toEqual({
        method: "passkey",
        acr: null,
        amr: ["pop", "mfa"],
        authTime: Math.floor(now.getTime() / 1000),
      });
    });
  });

  it("audits every refused assertion in the chain with its reason, and tells the browser only that it was refused", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["approver"]);
      const { authenticator, passkey } = await enrol(ctx);
      const handle = userHandle(ctx.actor.id!);
      const now = new Date(TEST_NOW.getTime() + MINUTE);
      const request = { ip: "203.0.113.9", userAgent: "test" };
      const attempt = async (
        answer: (options: { challenge: string; rpId?: string }) => unknown,
        when = now,
      ): Promise<unknown> => {
        const { challengeId, options } = await beginPasskeySignIn(db, now);
        const input = finishAssertionInput.parse({ challengeId, response: answer(options) });
        return verifyPasskeySignIn(db, input, when, request).catch((err: unknown) => err);
      };

      const stranger = new SoftAuthenticator(ORIGIN);
      const outcomes = [
        await attempt((o) => stranger.get(o, handle)),
        await attempt((o) => forgedBy(authenticator, o, handle)),
        await attempt((o) => authenticator.get(o, handle), new Date(now.getTime() + 4 * MINUTE)),
      ];
      expect(await attempt((o) => authenticator.get(o, handle))).toMatchObject({ identityId: ctx.actor.id });
      authenticator.counter = 0; // a clone that has not seen the last sign-in
      outcomes.push(await attempt((o) => authenticator.get(o, handle)));

      for (const outcome of outcomes) {
        expect(outcome).toBeInstanceOf(AssertionRefused);
        // One message and one error code whatever failed: no oracle for which check it was.
        expect(toFailure(outcome)).toEqual({ ok: false, code: "invalid", message: REFUSED_WORDS });
      }
      const owner = { actor_id: null, actor_label: "not signed in", target_type: "identity" };
      const mine = { ...owner, target_id: String(ctx.actor.id), passkey_id: passkey.id };
      const denied = await denials(db, "auth.sign_in_denied");
      expect(denied).toEqual([
        expect.objectContaining({
          ...owner,
          target_type: "webauthn_credential",
          target_id: stranger.id,
          reason: "unknown_credential",
          passkey_id: null,
        }),
        expect.objectContaining({ ...mine, reason: "bad_signature" }),
        expect.objectContaining({ ...mine, reason: "challenge_expired" }),
        expect.objectContaining({ ...mine, reason: "counter_regression" }),
      ]);
      // In the hash chain, each after the event before it; with the request's facts.
      for (const d of denied) expect(d.prev_hash).toBe(d.previous_hash);
      const [meta] = await rowsOf(
        db,
        sql`SELECT metadata->>'ip' AS ip, metadata->>'provider' AS provider FROM audit_events
             WHERE action = 'auth.sign_in_denied' AND metadata->>'provider' = 'passkey' ORDER BY id LIMIT 1`,
        { ip: col.text, provider: col.text },
      );
      expect(meta).toEqual({ ip: "203.0.113.9", provider: "passkey" });
    });
  });

  it("refuses, and audits, a verified passkey whose owner is no longer a console user", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["executive"]);
      const { authenticator, passkey } = await enrol(ctx);
      const signIn = async () => {
        const { challengeId, options } = await beginPasskeySignIn(db, TEST_NOW);
        const input = finishAssertionInput.parse({
          challengeId,
          response: authenticator.get(options, userHandle(ctx.actor.id!)),
        });
        return passkeySignIn(db, input, TEST_NOW);
      };
      expect(await signIn()).toMatchObject({ id: ctx.actor.id });
      await db.execute(sql`UPDATE identities SET status = 'leaver' WHERE id = ${ctx.actor.id}`);
      expect(await signIn()).toBeNull();
      expect(await denials(db, "auth.sign_in_denied")).toEqual([
        expect.objectContaining({
          actor_id: ctx.actor.id,
          target_id: String(ctx.actor.id),
          reason: "not_console_user",
          passkey_id: passkey.id,
        }),
      ]);
    });
  });

  it("keeps ceremony state only while it is live: expired challenges are swept when new ones are issued", async () => {
    await rollback(async (db) => {
      await beginPasskeySignIn(db, TEST_NOW);
      await beginPasskeySignIn(db, new Date(TEST_NOW.getTime() + 10 * MINUTE));
      const [{ n }] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM webauthn_challenges`, { n: col.int });
      expect(Number(n)).toBe(1);
    });
  });
});
