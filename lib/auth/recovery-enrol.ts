import "server-only";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { consolePasskeys, consoleRoles, enrolmentPasses, identities } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { userActor } from "@/lib/authz";
import { consumePass, hashPass, recordEnrolledPasskey } from "@/lib/break-glass/passes.internal";
import { makeCtx, transact } from "@/lib/context";
import { Invalid } from "@/lib/errors";
import { STRENGTH_LABELS, type Strength } from "@/lib/factors/strength";
import { issueChallenge, takeChallenge } from "./challenges.internal";
import { relyingParty } from "./relying-party";
import type { beginPassEnrolmentInput, finishPassEnrolmentInput } from "./schemas";
import { registrationOptions, verifyRegistration } from "./webauthn";

/**
 * Break-glass recovery for a console user, where Lockstep is the relying party: the one-time enrolment pass of an
 * approved recovery opens Lockstep's own passkey enrolment, without a session (the person is locked out — the pass
 * is the credential). The pass accepts only a factor at least as strong as the person had before, never below AAL2:
 * a synced passkey is refused where a device-bound one was lost. Public endpoints; every refusal says the same
 * thing about a pass that does not work, so a guess learns nothing.
 */
const NOT_VALID = "This enrolment pass is not valid: it may be mistyped, used, withdrawn or expired.";

async function livePass(db: Db, secret: string, now: Date) {
  const [p] = await db
    .select({
      subjectId: enrolmentPasses.subjectId,
      minStrength: enrolmentPasses.minStrength,
      usedAt: enrolmentPasses.usedAt,
      voidedAt: enrolmentPasses.voidedAt,
      expiresAt: enrolmentPasses.expiresAt,
      issuedAt: enrolmentPasses.issuedAt,
      name: identities.displayName,
      email: identities.email,
      status: identities.status,
    })
    .from(enrolmentPasses)
    .innerJoin(identities, eq(identities.id, enrolmentPasses.subjectId))
    .where(eq(enrolmentPasses.secretHash, hashPass(secret)));
  if (!p || p.usedAt || p.voidedAt || p.expiresAt <= now || p.issuedAt !== "lockstep" || p.status !== "active")
    throw new Invalid(NOT_VALID);
  const [role] = await db
    .select({ id: consoleRoles.identityId })
    .from(consoleRoles)
    .where(eq(consoleRoles.identityId, p.subjectId))
    .limit(1);
  if (!role) throw new Invalid(NOT_VALID);
  return p;
}

/** Options for the browser's create() call, for the pass's subject; says what the pass accepts. */
export async function beginPassEnrolment(db: Db, input: z.output<typeof beginPassEnrolmentInput>, now = new Date()) {
  const p = await livePass(db, input.pass, now);
  const existing = await db
    .select({
      credentialId: consolePasskeys.credentialId,
      publicKey: consolePasskeys.publicKey,
      counter: consolePasskeys.counter,
      transports: consolePasskeys.transports,
    })
    .from(consolePasskeys)
    .where(eq(consolePasskeys.identityId, p.subjectId));
  const options = await registrationOptions(
    relyingParty(),
    { id: p.subjectId, name: p.name, email: p.email },
    existing,
  );
  const challengeId = await issueChallenge(db, {
    ceremony: "register",
    challenge: options.challenge,
    identityId: p.subjectId,
    now,
  });
  return {
    challengeId,
    options,
    name: p.name,
    accepts: STRENGTH_LABELS[p.minStrength as Strength],
    deviceBoundOnly: p.minStrength > 4,
  };
}

/**
 * Verifies the new passkey and, in one transaction, uses the pass up (refusing a weaker factor) and stores the
 * passkey, audited as the person themselves (the pass authenticated them). They then sign in with it.
 */
export async function finishPassEnrolment(db: Db, input: z.output<typeof finishPassEnrolmentInput>, now = new Date()) {
  const p = await livePass(db, input.pass, now);
  const challenge = await takeChallenge(db, {
    id: input.challengeId,
    ceremony: "register",
    identityId: p.subjectId,
    now,
  });
  const verified = await verifyRegistration(relyingParty(), input.response, challenge);
  const factor = verified.multiDevice ? "passkey_synced" : "passkey_device_bound";
  const ctx = makeCtx(userActor(p.subjectId, p.name, [], p.email), db, now);
  return transact(ctx, async (tx) => {
    const { passId, requestId } = await consumePass(tx, { secret: input.pass, identityId: p.subjectId, factor });
    const name = input.name || "Recovery passkey";
    const [row] = await tx.db
      .insert(consolePasskeys)
      .values({ identityId: p.subjectId, name, createdAt: tx.now, ...verified })
      .returning({ id: consolePasskeys.id });
    await recordEnrolledPasskey(tx, passId, row.id);
    await writeAudit(tx, {
      action: "break_glass.pass_used",
      target: { type: "break_glass_request", id: requestId, label: `Enrolment pass used by ${p.name}` },
      after: { passId, factor, passkeyId: row.id },
    });
    await writeAudit(tx, {
      action: "passkey.register",
      target: { type: "console_passkey", id: row.id, label: name },
      after: { name, factor, viaRecoveryPass: passId, multiDevice: verified.multiDevice },
    });
    return { passkeyId: row.id, factor };
  });
}
