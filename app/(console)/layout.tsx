import { KeyRound, LogOut, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { navFor } from "@/components/shell/nav-items";
import { Sidebar } from "@/components/shell/sidebar";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { can, ROLE_LABELS } from "@/lib/authz";
import { myNotices } from "@/lib/notices/queries";
import { pageContext, requireActor } from "@/lib/session";
import { timeZoneLabel } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { signOutAction } from "../(auth)/actions";
import { NoticeBell } from "./_notices/bell";
import { beginStepUpAction, finishStepUpAction } from "./_step-up/actions";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const tz = await viewerTimeZone();
  // Every console role may read its own notices; the bell is left out for anyone who somehow may not.
  const notices = can(actor, "dashboard.view")
    ? await myNotices(await pageContext("dashboard.view"), { limit: 15 })
    : null;
  const items = navFor((p) => can(actor, p)).map(({ href, label, icon }) => ({
    href,
    label,
    icon,
  }));

  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded bg-white px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      {/* The dark column runs the page's whole height (also in a full-page capture or print); the navigation in it
          stays in view while the page scrolls. */}
      <div className="w-48 shrink-0 bg-slate-900">
        <aside className="sticky top-0 flex h-screen w-48 flex-col py-4">
          <Link href="/" className="mb-6 flex items-center gap-2 px-4 text-white">
            <span className="flex size-7 items-center justify-center rounded-md bg-indigo-500">
              <ShieldCheck className="size-4" aria-hidden />
            </span>
            <span className="text-base font-semibold tracking-tight">Lockstep</span>
          </Link>
          <Sidebar items={items} />
          <p className="mt-auto px-4 text-[11px] leading-4 text-slate-500">Times in {timeZoneLabel(tz)}</p>
        </aside>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-10 flex h-12 items-center justify-end gap-4 border-b border-slate-200 bg-white/95 px-6 backdrop-blur">
          {notices ? (
            <NoticeBell
              initial={notices.items.map((n) => ({
                ...n,
                createdAt: n.createdAt.toISOString(),
                readAt: n.readAt?.toISOString() ?? null,
              }))}
              unread={notices.unread}
              tz={tz}
            />
          ) : null}
          <div className="flex items-center gap-2 text-right" data-testid="signed-in-user">
            <div>
              <p className="text-sm leading-4 font-medium text-slate-900">{actor.name}</p>
              <p className="text-[11px] leading-4 text-slate-500">
                {actor.roles.map((r) => ROLE_LABELS[r]).join(" · ")}
              </p>
            </div>
          </div>
          <Link
            href="/account/passkeys"
            className="flex items-center gap-1.5 rounded-md px-2 py-1 text-xs text-slate-600 hover:bg-slate-100 hover:text-slate-900"
          >
            <KeyRound className="size-3.5" aria-hidden /> My passkeys
          </Link>
          <form action={signOutAction}>
            <button
              type="submit"
              className="flex items-center gap-1.5 rounded-md px-2 py-1 text-xs text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            >
              <LogOut className="size-3.5" aria-hidden /> Sign out
            </button>
          </form>
        </header>
        <main id="main" className="mx-auto w-full max-w-[1400px] flex-1 px-5 py-6">
          <StepUpProvider begin={beginStepUpAction} finish={finishStepUpAction}>
            {children}
          </StepUpProvider>
        </main>
      </div>
    </div>
  );
}
