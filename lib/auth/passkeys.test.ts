import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { consolePasskeys } from "@/db/schema";
import { meetsAssurance, STEP_UP, type UserActor } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { Invalid, NotFound, StepUpRequired } from "@/lib/errors";
import { ctxAs, steppedUp } from "@/lib/testing/actors";
import { SoftAuthenticator } from "@/lib/testing/authenticator";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { rowsOf } from "@/lib/testing/sql";
import { authenticationAtSignIn, readAuthentication, withStepUp } from "./authentication";
import { redeemStepUpGrant } from "./challenges.internal";
import { beginPasskeySignIn, verifyPasskeySignIn } from "./passkey-sign-in.internal";
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
import { userHandle } from "./webauthn";

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
      await expect(stepUp(ctx, authenticator)).rejects.toThrow(/not accepted/);

      const begun = await beginStepUp(ctx);
      const response = authenticator.get(begun.options!, userHandle(ctx.actor.id!));
      const input = finishAssertionInput.parse({ challengeId: begun.challengeId, response });
      await finishStepUp(ctx, input);
      await expect(finishStepUp(ctx, input)).rejects.toThrow(/already used/);

      // The analyst enrols nothing and tries the admin's authenticator against their own challenge.
      await enrol(other);
      const theirs = await beginStepUp(other);
      const stolen = authenticator.get(theirs.options!, userHandle(ctx.actor.id!));
      await expect(
        finishStepUp(other, finishAssertionInput.parse({ challengeId: theirs.challengeId, response: stolen })),
      ).rejects.toThrow(/not one of yours/);
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
      expect(await signIn(authenticator)).toBe(ctx.actor.id);
      await expect(signIn(new SoftAuthenticator(ORIGIN))).rejects.toThrow(NotFound);
      await expect(signIn(authenticator, userHandle(12345))).rejects.toThrow(/does not belong/);
      expect(authenticationAtSignIn({ provider: "passkey" }, now)).toEqual({
        method: "passkey",
        acr: null,
        amr: ["pop", "mfa"],
        authTime: Math.floor(now.getTime() / 1000),
      });
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
