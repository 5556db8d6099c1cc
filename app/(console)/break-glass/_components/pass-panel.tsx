"use client";

import { Check, Copy, KeyRound, Link2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { formatDateTime, timeZoneLabel } from "@/lib/time";

/** What the final approval returns, once. */
export type IssuedPass = { secret: string; expiresAt: Date | string; issuedAt: "lockstep" | "idp" };

/**
 * The enrolment pass's secret, shown once: only its hash is stored, so this screen is the only place it exists.
 * Copy it and hand it to the person over the channel you proofed them on; once dismissed it is gone. A pass Lockstep
 * issued (the subject is a console user) also comes as a link that opens Lockstep's own enrolment page with it.
 */
export function PassPanel({
  pass,
  subject,
  tz,
  onDismiss,
}: {
  pass: IssuedPass;
  subject: string;
  tz: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState<"pass" | "link" | null>(null);
  const [failed, setFailed] = useState(false);
  // Only ever rendered after a decision in the browser, so the page's own origin is at hand.
  const link =
    pass.issuedAt === "lockstep" && typeof window !== "undefined"
      ? `${window.location.origin}/enrol?pass=${encodeURIComponent(pass.secret)}`
      : null;
  const copy = async (what: "pass" | "link") => {
    try {
      await navigator.clipboard.writeText(what === "link" && link ? link : pass.secret);
      setCopied(what);
    } catch {
      setFailed(true);
    }
  };
  return (
    <section
      role="alert"
      aria-labelledby="pass-title"
      className="rounded-lg border-2 border-emerald-400 bg-emerald-50 p-4 shadow-sm"
      data-testid="pass-panel"
    >
      <h2 id="pass-title" className="flex items-center gap-2 text-sm font-semibold text-emerald-900">
        <KeyRound className="size-4" aria-hidden /> One-time enrolment pass for {subject}
      </h2>
      <p className="mt-1 text-xs text-emerald-900">
        Shown once, now: Lockstep keeps only a hash. Give it to {subject} over the channel you proofed them on. It works
        once, until {formatDateTime(new Date(pass.expiresAt), tz)} ({timeZoneLabel(tz)}), and only to enrol a factor at
        least as strong as before
        {pass.issuedAt === "idp"
          ? " — at the organisation's IdP (simulated here: no real IdP is called)."
          : " — in Lockstep."}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code className="rounded-md bg-white px-3 py-2 font-mono text-base tracking-wider text-slate-900 ring-1 ring-emerald-300 select-all">
          {pass.secret}
        </code>
        <Button size="sm" variant="primary" onClick={() => void copy("pass")}>
          {copied === "pass" ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
          {copied === "pass" ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          {copied ? "Done — hide it" : "Hide it for good"}
        </Button>
      </div>
      {link ? (
        <p className="mt-2 flex flex-wrap items-center gap-2 text-xs text-emerald-900">
          <Link2 className="size-3.5" aria-hidden /> Or send the enrolment link:
          <a
            href={link}
            target="_blank"
            rel="noreferrer"
            className="max-w-full truncate font-mono text-indigo-700 hover:underline"
            aria-label={`Enrolment link for ${subject}`}
          >
            {link}
          </a>
          <Button size="sm" variant="ghost" onClick={() => void copy("link")}>
            {copied === "link" ? "Link copied" : "Copy link"}
          </Button>
        </p>
      ) : null}
      {failed ? <p className="mt-1 text-xs text-red-700">The browser refused the clipboard: select the text.</p> : null}
    </section>
  );
}
