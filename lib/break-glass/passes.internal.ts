import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { consolePasskeys, consoleRoles, enrolmentPasses } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import {
  type AuthenticatorType,
  FACTOR_TYPE_LABELS,
  PRIMARY_STRENGTH,
  STRENGTH_LABELS,
  type Strength,
} from "@/lib/factors/strength";

/**
 * One-time enrolment passes (unguarded: an approved recovery issues one; the enrolment ceremony consumes one). The
 * secret is shown once, to the approvers' screen for handing over; only its hash is stored.
 */
export const hashPass = (secret: string) => createHash("sha256").update(secret).digest("base64url");

export type IssuedPass = {
  id: number;
  secret: string;
  expiresAt: Date;
  minStrength: Strength;
  issuedAt: "lockstep" | "idp";
};

/**
 * Issues the pass where the subject signs in: Lockstep itself for console users (Lockstep is the relying party), else
 * the organisation's IdP through its connector's issueEnrolmentPass — simulated here (labelled so), with the fields
 * of Entra's Temporary Access Pass.
 */
export async function issuePass(
  tx: Ctx,
  req: { id: number; subjectId: number },
  minStrength: Strength,
  lifetimeMinutes: number,
): Promise<IssuedPass> {
  const [console] = await tx.db
    .select({ id: consoleRoles.identityId })
    .from(consoleRoles)
    .where(eq(consoleRoles.identityId, req.subjectId))
    .limit(1);
  const issuedAt = console ? "lockstep" : "idp";
  const secret = randomBytes(18).toString("base64url");
  const expiresAt = new Date(tx.now.getTime() + lifetimeMinutes * 60_000);
  const external =
    issuedAt === "idp"
      ? {
          simulated: true,
          id: randomUUID(),
          createdDateTime: tx.now.toISOString(),
          startDateTime: tx.now.toISOString(),
          lifetimeInMinutes: lifetimeMinutes,
          isUsableOnce: true,
          isUsable: true,
          methodUsabilityReason: "EnabledByPolicy",
          minimumStrength: STRENGTH_LABELS[minStrength],
        }
      : null;
  const [row] = await tx.db
    .insert(enrolmentPasses)
    .values({
      requestId: req.id,
      subjectId: req.subjectId,
      secretHash: hashPass(secret),
      minStrength,
      issuedAt,
      external,
      expiresAt,
      createdAt: tx.now,
    })
    .returning({ id: enrolmentPasses.id });
  return { id: row.id, secret, expiresAt, minStrength, issuedAt };
}

/** Voids a request's unused passes (the request was disputed or ended). Returns how many. */
export async function voidPasses(tx: Ctx, requestId: number): Promise<number> {
  const voided = await tx.db
    .update(enrolmentPasses)
    .set({ voidedAt: tx.now })
    .where(
      and(eq(enrolmentPasses.requestId, requestId), isNull(enrolmentPasses.usedAt), isNull(enrolmentPasses.voidedAt)),
    )
    .returning({ id: enrolmentPasses.id });
  return voided.length;
}

/**
 * Checks a pass for the person enrolling and the factor they enrol, and uses it up (single use). A factor weaker
 * than the pass allows is refused: recovery never ends with a weaker factor than the person had (no downgrade).
 */
export async function consumePass(
  tx: Ctx,
  input: { secret: string; identityId: number; factor: AuthenticatorType },
): Promise<{ passId: number; requestId: number }> {
  const [pass] = await tx.db
    .select()
    .from(enrolmentPasses)
    .where(eq(enrolmentPasses.secretHash, hashPass(input.secret)))
    .for("update");
  if (!pass || pass.subjectId !== input.identityId) throw new NotFound("That enrolment pass");
  if (pass.usedAt) throw new Conflict("This enrolment pass was already used: each pass works once.");
  if (pass.voidedAt) throw new Conflict("This enrolment pass was withdrawn.");
  if (pass.expiresAt.getTime() <= tx.now.getTime()) throw new Conflict("This enrolment pass has expired.");
  const strength = PRIMARY_STRENGTH[input.factor];
  if (strength < pass.minStrength) {
    throw new Invalid(
      `${FACTOR_TYPE_LABELS[input.factor]} is weaker than this pass allows: enrol ${STRENGTH_LABELS[pass.minStrength as Strength]} or stronger.`,
    );
  }
  await tx.db
    .update(enrolmentPasses)
    .set({ usedAt: tx.now, usedFor: input.factor })
    .where(eq(enrolmentPasses.id, pass.id));
  return { passId: pass.id, requestId: pass.requestId };
}

/** Records the console passkey a Lockstep pass enrolled, so a disputed recovery can take it away again. */
export async function recordEnrolledPasskey(tx: Ctx, passId: number, passkeyId: number): Promise<void> {
  await tx.db.update(enrolmentPasses).set({ passkeyId }).where(eq(enrolmentPasses.id, passId));
}

/**
 * A disputed recovery: the passkeys its used passes enrolled are removed (whoever enrolled them was not the
 * subject), and when each pass was used (the caller ends the sessions signed in since). Returns what it removed.
 */
export async function removeRecoveredPasskeys(
  tx: Ctx,
  requestId: number,
): Promise<{ passkeyIds: number[]; firstUsedAt: Date | null }> {
  const used = await tx.db
    .select({ passkeyId: enrolmentPasses.passkeyId, usedAt: enrolmentPasses.usedAt })
    .from(enrolmentPasses)
    .where(and(eq(enrolmentPasses.requestId, requestId), isNotNull(enrolmentPasses.usedAt)));
  const ids = used.flatMap((u) => (u.passkeyId === null ? [] : [u.passkeyId]));
  const removed = ids.length
    ? await tx.db.delete(consolePasskeys).where(inArray(consolePasskeys.id, ids)).returning({ id: consolePasskeys.id })
    : [];
  const times = used.flatMap((u) => (u.usedAt ? [u.usedAt.getTime()] : []));
  return {
    passkeyIds: removed.map((r) => r.id),
    firstUsedAt: times.length ? new Date(Math.min(...times)) : null,
  };
}
