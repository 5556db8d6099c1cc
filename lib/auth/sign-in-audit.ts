import "server-only";
import { type Db, getDb } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { type SystemActor, userActor } from "@/lib/authz";
import { type Ctx, makeCtx, transact } from "@/lib/context";
import type { ConsoleUser } from "@/lib/people/console-users";
import type { AssertionRefusal } from "./webauthn";

/** Every console sign-in and sign-out is an audit event (OWASP ASVS 16.3.1). */
export async function auditAuthEvent(
  user: ConsoleUser,
  action: "auth.sign_in" | "auth.sign_out",
  provider: string | null,
): Promise<void> {
  const ctx = makeCtx(userActor(user.id, user.name, user.roles, user.email), await getDb());
  await transact(ctx, (tx) =>
    writeAudit(tx, {
      action,
      target: { type: "identity", id: user.id, label: user.name },
      metadata: { provider, roles: user.roles },
    }),
  );
}

/**
 * Who a refused passkey sign-in is recorded as: nobody has authenticated, so no identity (the audit log shows the
 * label in italics). Module-private and used only to write the event — never handed to a service, where a
 * `system` actor would be allowed everything.
 */
const NOT_SIGNED_IN: SystemActor = { kind: "system", id: null, name: "not signed in", roles: [] };

/** The passkey a refused assertion named, when Lockstep holds it (and so knows whose account was tried). */
export type NamedPasskey = { id: number; identityId: number; ownerName: string };

/**
 * A refused passkey sign-in, audited as `auth.sign_in_denied` with the reason (ASVS 16.3.2: failed
 * authentication attempts are logged) — in its own transaction, so it commits although the sign-in fails. The
 * target is the account that was tried when the passkey is known, else the unknown credential id. `reason`
 * `not_console_user` is the one refusal after a verified assertion: the person proved the passkey is theirs, so
 * they are the actor.
 */
export async function auditRefusedSignIn(
  db: Db,
  input: {
    now: Date;
    request?: Ctx["request"];
    reason: AssertionRefusal | "not_console_user";
    credentialId: string;
    passkey: NamedPasskey | null;
  },
): Promise<void> {
  const { passkey } = input;
  const actor =
    input.reason === "not_console_user" && passkey
      ? userActor(passkey.identityId, passkey.ownerName, [])
      : NOT_SIGNED_IN;
  await transact(makeCtx(actor, db, input.now, input.request), (tx) =>
    writeAudit(tx, {
      action: "auth.sign_in_denied",
      target: passkey
        ? { type: "identity", id: passkey.identityId, label: passkey.ownerName }
        : // Credential ids are the browser's bytes (≤ 1,400 characters by the input schema); a prefix identifies one.
          { type: "webauthn_credential", id: input.credentialId.slice(0, 128) },
      metadata: {
        provider: "passkey",
        reason: input.reason,
        ...(passkey ? { passkeyId: passkey.id } : {}),
      },
    }),
  );
}
