import "server-only";
import { getDb } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { userActor } from "@/lib/authz";
import { makeCtx, transact } from "@/lib/context";
import type { ConsoleUser } from "@/lib/people/console-users";

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
