import { Fingerprint } from "lucide-react";
import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { mySessions } from "@/lib/auth/console-sessions";
import { listMyPasskeys } from "@/lib/auth/passkeys";
import type { AuthMethod } from "@/lib/authz";
import { pageContext } from "@/lib/session";
import { formatDateTime, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { AddPasskey } from "./_components/add-passkey";
import { PasskeyRow } from "./_components/passkey-row";
import { SignOutEverywhere } from "./_components/sign-out-everywhere";

export const metadata: Metadata = { title: "My passkeys" };

const METHOD: Record<AuthMethod, string> = { demo: "a demo persona", oidc: "single sign-on", passkey: "a passkey" };

export default async function MyPasskeysPage() {
  const ctx = await pageContext("passkeys.manage");
  const [passkeys, sessions, tz] = await Promise.all([listMyPasskeys(ctx), mySessions(ctx), viewerTimeZone()]);
  const auth = ctx.actor.kind === "user" ? ctx.actor.auth : undefined;
  return (
    <>
      <PageHeader
        title="My passkeys"
        description="Passkeys sign you in to Lockstep and confirm sensitive actions — waiving a revocation task, changing a policy, approving break-glass, closing a review campaign early — with a step-up from the last 5 minutes. The private key stays on your device; Lockstep keeps only the public key."
        meta={
          auth ? (
            <>
              <Badge>
                This session: signed in with {METHOD[auth.method]} {formatRelative(auth.authTime, ctx.now)}
              </Badge>
              {auth.stepUpAt ? (
                <Badge tone="success">Last step-up {formatRelative(auth.stepUpAt, ctx.now)}</Badge>
              ) : null}
            </>
          ) : null
        }
      />
      <Card>
        <CardHeader
          title={`${passkeys.length} ${passkeys.length === 1 ? "passkey" : "passkeys"}`}
          description={
            passkeys.length > 0
              ? "Adding another or removing one asks you to confirm with a passkey you already have."
              : "Add one to sign in without a password and to confirm sensitive actions."
          }
          actions={<AddPasskey first={passkeys.length === 0} />}
        />
        {passkeys.length === 0 ? (
          <EmptyState title="No passkeys yet" icon={Fingerprint}>
            Your device (Touch ID, Windows Hello, Android) or a security key can hold one.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {passkeys.map((p) => (
              <PasskeyRow
                key={p.id}
                passkey={{
                  id: p.id,
                  name: p.name,
                  kind: p.multiDevice ? "Synced passkey" : "Device-bound passkey",
                  created: formatDateTime(p.createdAt, tz),
                  lastUsed: p.lastUsedAt ? formatRelative(p.lastUsedAt, ctx.now) : "never used",
                }}
              />
            ))}
          </ul>
        )}
      </Card>
      <Card className="mt-4">
        <CardHeader
          title="Where you are signed in"
          description="Each sign-in is a session Lockstep holds on its server: signing out ends it, even where its cookie was copied. Sessions end after an hour without use and within 12 hours in any case (administrators set both)."
          actions={sessions.length > 0 ? <SignOutEverywhere count={sessions.length} /> : null}
        />
        <ul className="divide-y divide-slate-100" aria-label="Signed-in sessions">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5 text-sm">
              <span className="min-w-0 truncate text-slate-700">
                {s.userAgent ? s.userAgent.replace(/\s*\(.*?\)\s*/g, " ").slice(0, 80) : "Unknown browser"}
                {s.ipAddress ? <span className="text-slate-500"> · {s.ipAddress}</span> : null}
              </span>
              <span className="text-xs text-slate-500">
                signed in {formatDateTime(s.startedAt, tz)} · last active {formatRelative(s.lastSeenAt, ctx.now)} · ends{" "}
                {formatDateTime(s.expiresAt, tz)}
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
