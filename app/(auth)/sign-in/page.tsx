import { KeyRound, ShieldCheck } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { demoSignInEnabled, oidcSettings } from "@/lib/auth/config";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/authz/roles";
import { listPersonas, type Persona } from "@/lib/people/console-users";
import { currentActor } from "@/lib/session";
import { signInAsPersona, signInWithOidc } from "../actions";
import { PasskeySignIn } from "./passkey-sign-in";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  NotAConsoleUser:
    "Your identity provider signed you in, but that email has no Lockstep console role. Ask an administrator.",
  NoVerifiedEmail: "Your identity provider did not return a verified email address.",
  CredentialsSignin: "That persona cannot sign in (no console role, or no longer active).",
  InvalidPersona: "Pick a persona from the list.",
  RateLimited: "Too many sign-in attempts from this address. Wait a minute and try again.",
  AccessDenied: "Access denied.",
  Configuration: "Sign-in is misconfigured on the server; the error was logged.",
};

const ROLE_BLURB: Record<Role, string> = {
  analyst: "Works the leaver queue, verifies revocations, investigates weak factors.",
  manager: "Decides access reviews for their reports and their team's tokens.",
  approver: "Approves break-glass recovery and emergency access.",
  executive: "Reads the risk dashboard: aggregates only.",
  admin: "Connects systems, sets policies, manages console roles.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; callbackUrl?: string }>;
}) {
  if (await currentActor()) redirect("/");
  const { error, callbackUrl } = await searchParams;
  const demo = demoSignInEnabled();
  const oidc = oidcSettings();
  const personas = demo ? await listPersonas(await getDb()) : [];
  const byRole = new Map<Role, Persona[]>(ROLES.map((r) => [r, personas.filter((p) => p.roles.includes(r))]));

  return (
    <main className="min-h-screen bg-slate-900 px-4 py-12">
      <div className="mx-auto max-w-4xl">
        <div className="mb-8 flex items-center gap-3 text-white">
          <span className="flex size-10 items-center justify-center rounded-lg bg-indigo-500">
            <ShieldCheck className="size-6" aria-hidden />
          </span>
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Lockstep</h1>
            <p className="text-sm text-slate-400">
              Identity governance: leavers, factor strength, API scopes, break-glass.
            </p>
          </div>
        </div>

        {error ? (
          <div
            role="alert"
            className="mb-6 rounded-md border border-red-400/40 bg-red-500/10 px-4 py-3 text-sm text-red-100"
          >
            {ERRORS[error] ?? "Sign-in failed. Try again."}
          </div>
        ) : null}

        <div className="rounded-xl bg-white p-6 shadow-xl">
          <PasskeySignIn callbackUrl={callbackUrl} />
          {oidc ? (
            <form action={signInWithOidc} className="mb-6">
              <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/"} />
              <button
                type="submit"
                className="flex w-full items-center justify-center gap-2 rounded-md bg-indigo-600 px-4 py-2.5 font-medium text-white hover:bg-indigo-700"
              >
                <KeyRound className="size-4" aria-hidden /> Sign in with {oidc.name}
              </button>
            </form>
          ) : null}

          {demo ? (
            <section aria-labelledby="personas-heading">
              <div className="mb-4 flex items-center justify-between">
                <h2 id="personas-heading" className="text-base font-semibold">
                  Demo personas
                </h2>
                <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">
                  Demo mode · LOCKSTEP_DEMO=1
                </span>
              </div>
              {personas.length === 0 ? (
                <p className="text-sm text-slate-600">
                  No seeded console users yet. Run <code>npm run seed -- --scale demo</code>.
                </p>
              ) : (
                <div className="grid gap-4 md:grid-cols-2">
                  {ROLES.map((role) => (
                    <div key={role} className="rounded-lg border border-slate-200 p-3">
                      <h3 className="text-sm font-semibold text-slate-900">{ROLE_LABELS[role]}</h3>
                      <p className="mb-2 text-xs text-slate-500">{ROLE_BLURB[role]}</p>
                      <ul className="flex flex-col gap-1">
                        {(byRole.get(role) ?? []).map((p) => (
                          <li key={p.id}>
                            <form action={signInAsPersona}>
                              <input type="hidden" name="identityId" value={p.id} />
                              <button
                                type="submit"
                                aria-label={`Sign in as ${p.name} (${ROLE_LABELS[role]})`}
                                className="flex w-full items-center justify-between rounded-md px-2 py-1.5 text-left hover:bg-indigo-50 focus-visible:bg-indigo-50"
                              >
                                <span>
                                  <span className="block text-sm font-medium text-slate-900">{p.name}</span>
                                  <span className="block text-xs text-slate-500">
                                    {[p.title, p.department].filter(Boolean).join(" · ")}
                                  </span>
                                </span>
                                <span className="text-xs text-indigo-600">Sign in →</span>
                              </button>
                            </form>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </div>
              )}
            </section>
          ) : null}

          {!demo && !oidc ? (
            <p className="text-sm text-slate-700">
              Only passkeys enrolled earlier can sign in here. To sign in otherwise, set{" "}
              <code>LOCKSTEP_OIDC_ISSUER</code>, <code>LOCKSTEP_OIDC_CLIENT_ID</code> and{" "}
              <code>LOCKSTEP_OIDC_CLIENT_SECRET</code>, or <code>LOCKSTEP_DEMO=1</code> for the demo personas.
            </p>
          ) : null}
        </div>
      </div>
    </main>
  );
}
