"use client";

import { AlertTriangle } from "lucide-react";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div
      role="alert"
      className="mx-auto mt-12 max-w-lg rounded-lg border border-red-200 bg-white p-6 text-center shadow-sm"
    >
      <AlertTriangle className="mx-auto mb-3 size-8 text-red-500" aria-hidden />
      <h1 className="text-base font-semibold text-slate-900">This page could not load</h1>
      <p className="mt-1 text-sm text-slate-600">
        The error was logged{error.digest ? ` (reference ${error.digest})` : ""}. Try again; if it keeps failing, tell
        the Lockstep administrator.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
      >
        Try again
      </button>
    </div>
  );
}
