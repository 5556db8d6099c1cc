import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import type { z } from "zod";
import { consolePasskeys } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { type Actor, authorize, requireAssurance, STEP_UP } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { grantStepUp, issueChallenge, takeChallenge } from "./challenges.internal";
import { relyingParty } from "./relying-party";
import type { finishAssertionInput, finishRegistrationInput, removePasskeyInput, renamePasskeyInput } from "./schemas";
import {
  AssertionRefused,
  assertionOptions,
  registrationOptions,
  type StoredPasskey,
  verifyAssertion,
  verifyRegistration,
} from "./webauthn";

/**
 * A console user's own passkeys: enrol, list, rename, remove, and the step-up ceremony. Every service acts on the
 * signed-in person's passkeys only (the WHERE clause names them), so nobody reaches another person's.
 *
 * Enrolling a further passkey, once you have one, needs a step-up with an existing one: otherwise a hijacked
 * session could add the attacker's passkey and then step up with it. The first passkey cannot be protected that
 * way; recovery without one is break-glass's enrolment pass.
 */
const MAX_PASSKEYS = 10;

export type Passkey = {
  id: number;
  name: string;
  multiDevice: boolean;
  backedUp: boolean;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
};

function me(actor: Actor): { id: number; name: string; email: string | null } {
  if (actor.kind !== "user") throw new Forbidden("Passkeys belong to console users.");
  return actor;
}

export async function listMyPasskeys(ctx: Ctx): Promise<Passkey[]> {
  authorize(ctx.actor, "passkeys.manage");
  return ctx.db
    .select({
      id: consolePasskeys.id,
      name: consolePasskeys.name,
      multiDevice: consolePasskeys.multiDevice,
      backedUp: consolePasskeys.backedUp,
      transports: consolePasskeys.transports,
      createdAt: consolePasskeys.createdAt,
      lastUsedAt: consolePasskeys.lastUsedAt,
    })
    .from(consolePasskeys)
    .where(eq(consolePasskeys.identityId, me(ctx.actor).id))
    .orderBy(asc(consolePasskeys.createdAt), asc(consolePasskeys.id));
}

async function storedPasskeys(ctx: Ctx, identityId: number): Promise<(StoredPasskey & { id: number; name: string })[]> {
  return ctx.db
    .select({
      id: consolePasskeys.id,
      name: consolePasskeys.name,
      credentialId: consolePasskeys.credentialId,
      publicKey: consolePasskeys.publicKey,
      counter: consolePasskeys.counter,
      transports: consolePasskeys.transports,
    })
    .from(consolePasskeys)
    .where(eq(consolePasskeys.identityId, identityId));
}

/** Options for the browser's create() call; a further passkey needs a recent step-up (see above). */
export async function beginRegistration(ctx: Ctx) {
  authorize(ctx.actor, "passkeys.manage");
  const user = me(ctx.actor);
  const existing = await storedPasskeys(ctx, user.id);
  if (existing.length >= MAX_PASSKEYS) throw new Conflict(`You have ${MAX_PASSKEYS} passkeys; remove one first.`);
  if (existing.length > 0) requireAssurance(ctx, STEP_UP);
  const options = await registrationOptions(relyingParty(), user, existing);
  const challengeId = await issueChallenge(ctx.db, {
    ceremony: "register",
    challenge: options.challenge,
    identityId: user.id,
    now: ctx.now,
  });
  return { challengeId, options };
}

export async function finishRegistration(ctx: Ctx, input: z.output<typeof finishRegistrationInput>) {
  authorize(ctx.actor, "passkeys.manage");
  const user = me(ctx.actor);
  const challenge = await takeChallenge(ctx.db, {
    id: input.challengeId,
    ceremony: "register",
    identityId: user.id,
    now: ctx.now,
  });
  const verified = await verifyRegistration(relyingParty(), input.response, challenge);
  return transact(ctx, async (tx) => {
    const [{ n }] = await tx.db
      .select({ n: count() })
      .from(consolePasskeys)
      .where(eq(consolePasskeys.identityId, user.id));
    if (n >= MAX_PASSKEYS) throw new Conflict(`You have ${MAX_PASSKEYS} passkeys; remove one first.`);
    if (n > 0) requireAssurance(tx, STEP_UP);
    const name = input.name || `Passkey ${n + 1}`;
    const [row] = await tx.db
      .insert(consolePasskeys)
      .values({ identityId: user.id, name, createdAt: tx.now, ...verified })
      .returning({ id: consolePasskeys.id });
    await writeAudit(tx, {
      action: "passkey.register",
      target: { type: "console_passkey", id: row.id, label: name },
      after: { name, multiDevice: verified.multiDevice, backedUp: verified.backedUp, transports: verified.transports },
    });
    return { id: row.id, name };
  });
}

export async function renamePasskey(ctx: Ctx, input: z.output<typeof renamePasskeyInput>) {
  authorize(ctx.actor, "passkeys.manage");
  const user = me(ctx.actor);
  return transact(ctx, async (tx) => {
    const [before] = await tx.db
      .select({ name: consolePasskeys.name })
      .from(consolePasskeys)
      .where(and(eq(consolePasskeys.id, input.passkeyId), eq(consolePasskeys.identityId, user.id)))
      .for("update");
    if (!before) throw new NotFound("That passkey");
    await tx.db.update(consolePasskeys).set({ name: input.name }).where(eq(consolePasskeys.id, input.passkeyId));
    await writeAudit(tx, {
      action: "passkey.rename",
      target: { type: "console_passkey", id: input.passkeyId, label: input.name },
      before: { name: before.name },
      after: { name: input.name },
    });
    return { id: input.passkeyId, name: input.name };
  });
}

/** Removing is declared `assurance: STEP_UP` at the edge: otherwise a hijacked session could lock the owner out. */
export async function removePasskey(ctx: Ctx, input: z.output<typeof removePasskeyInput>) {
  authorize(ctx.actor, "passkeys.manage");
  const user = me(ctx.actor);
  return transact(ctx, async (tx) => {
    const [gone] = await tx.db
      .delete(consolePasskeys)
      .where(and(eq(consolePasskeys.id, input.passkeyId), eq(consolePasskeys.identityId, user.id)))
      .returning({ name: consolePasskeys.name, credentialId: consolePasskeys.credentialId });
    if (!gone) throw new NotFound("That passkey");
    await writeAudit(tx, {
      action: "passkey.remove",
      target: { type: "console_passkey", id: input.passkeyId, label: gone.name },
      before: { name: gone.name },
    });
    return { id: input.passkeyId };
  });
}

/** Options for a step-up assertion with one of your own passkeys, or `null` options when you have none. */
export async function beginStepUp(ctx: Ctx) {
  authorize(ctx.actor, "passkeys.manage");
  const user = me(ctx.actor);
  const mine = await storedPasskeys(ctx, user.id);
  if (mine.length === 0) return { challengeId: null, options: null };
  const options = await assertionOptions(relyingParty(), mine);
  const challengeId = await issueChallenge(ctx.db, {
    ceremony: "step_up",
    challenge: options.challenge,
    identityId: user.id,
    now: ctx.now,
  });
  return { challengeId, options };
}

/**
 * Verifies the step-up assertion and returns a one-time grant; the caller hands it to the session
 * (lib/auth/index.ts recordStepUp), which redeems it and from then on carries the step-up time. A refused
 * assertion is audited (`auth.step_up_denied`, with the reason) and answered with one message whatever failed.
 */
export async function finishStepUp(ctx: Ctx, input: z.output<typeof finishAssertionInput>) {
  authorize(ctx.actor, "passkeys.manage");
  const user = me(ctx.actor);
  const passkey = (await storedPasskeys(ctx, user.id)).find((p) => p.credentialId === input.response.id);
  try {
    const challenge = await takeChallenge(ctx.db, {
      id: input.challengeId,
      ceremony: "step_up",
      identityId: user.id,
      now: ctx.now,
    }).catch(() => {
      throw new AssertionRefused("challenge_expired");
    });
    // Not one of this person's passkeys (another person's, a removed one, or none Lockstep knows).
    if (!passkey) throw new AssertionRefused("unknown_credential");
    const { newCounter } = await verifyAssertion(
      relyingParty(),
      { ...passkey, identityId: user.id },
      input.response,
      challenge,
    );
    return await transact(ctx, async (tx) => {
      await tx.db
        .update(consolePasskeys)
        .set({ counter: newCounter, lastUsedAt: tx.now })
        .where(eq(consolePasskeys.id, passkey.id));
      const grantId = await grantStepUp(tx.db, { identityId: user.id, challenge, now: tx.now });
      await writeAudit(tx, {
        action: "auth.step_up",
        target: { type: "identity", id: user.id, label: ctx.actor.name },
        metadata: { passkey: { id: passkey.id, name: passkey.name } },
      });
      return { grantId };
    });
  } catch (err) {
    if (!(err instanceof AssertionRefused)) throw err;
    // Its own transaction: the refusal is recorded although the step-up fails.
    await transact(ctx, (tx) =>
      writeAudit(tx, {
        action: "auth.step_up_denied",
        target: { type: "identity", id: user.id, label: ctx.actor.name },
        metadata: {
          reason: err.reason,
          ...(passkey
            ? { passkey: { id: passkey.id, name: passkey.name } }
            : { credentialId: input.response.id.slice(0, 128) }),
        },
      }),
    );
    throw err;
  }
}
