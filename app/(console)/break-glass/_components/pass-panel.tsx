"use client";

import { Check, Copy, KeyRound } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { formatDateTime, timeZoneLabel } from "@/lib/time";

/** What the final approval returns, once. */
export type IssuedPass = { secret: string; expiresAt: Date | string; issuedAt: "lockstep" | "idp" };

/**
 * The enrolment pass's secret, shown once: only its hash is stored, so this screen is the only place it exists.
 * Copy it and hand it to the person over the channel you proofed them on; once dismissed it is gone.
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
  const [copied, setCopied] = useState(false);
  const [failed, setFailed] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pass.secret);
      setCopied(true);
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
        <Button size="sm" variant="primary" onClick={() => void copy()}>
          {copied ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          {copied ? "Done — hide it" : "Hide it for good"}
        </Button>
      </div>
      {failed ? <p className="mt-1 text-xs text-red-700">The browser refused the clipboard: select the text.</p> : null}
    </section>
  );
}
