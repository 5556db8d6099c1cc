"use client";

import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Loader2, RefreshCw, XCircle } from "lucide-react";

type Verification =
  | {
      ok: true;
      checked: number;
      checkpoints: number;
      signedBy: string | null;
      checkpointNote: string | null;
      checkpointProblems: string[];
      verifiedAt: string;
      ms: number;
    }
  | { ok: false; checked: number; brokenAt: { id: number; reason: string }; verifiedAt: string; ms: number };

/** Re-walks the hash chain on the server and says whether it verifies, and where it breaks if not. */
export function ChainStatus() {
  const { data, error, isFetching, refetch } = useQuery<Verification>({
    queryKey: ["audit-chain"],
    queryFn: async () => {
      const res = await fetch("/api/audit/verify", { cache: "no-store" });
      if (!res.ok) throw new Error((await res.json().catch(() => null))?.message ?? `HTTP ${res.status}`);
      return res.json();
    },
    staleTime: 60_000,
  });

  let body: React.ReactNode;
  if (error) {
    body = (
      <span className="flex items-center gap-2 text-red-700">
        <XCircle className="size-4" aria-hidden /> Could not verify the chain: {(error as Error).message}
      </span>
    );
  } else if (!data) {
    body = (
      <span className="flex items-center gap-2 text-slate-600">
        <Loader2 className="size-4 animate-spin" aria-hidden /> Verifying the hash chain…
      </span>
    );
  } else if (data.ok && data.checkpointProblems.length) {
    body = (
      <span className="flex items-center gap-2 font-medium text-red-700" data-testid="chain-broken">
        <XCircle className="size-4" aria-hidden /> The chain verifies, but the checkpoint file has lines its key did not
        sign: {data.checkpointProblems.join("; ")}
      </span>
    );
  } else if (data.ok) {
    body = (
      <span className="flex items-center gap-2 text-emerald-800" data-testid="chain-ok">
        <CheckCircle2 className="size-4" aria-hidden /> Chain verifies: {data.checked.toLocaleString("en-US")} events,
        every hash and link intact,{" "}
        {data.signedBy
          ? `${data.checkpoints} signed checkpoint${data.checkpoints === 1 ? "" : "s"} match`
          : (data.checkpointNote ?? "checkpoints are off")}
        <span className="text-xs text-emerald-700/70">({data.ms} ms)</span>
      </span>
    );
  } else {
    body = (
      <span className="flex items-center gap-2 font-medium text-red-700" data-testid="chain-broken">
        <XCircle className="size-4" aria-hidden /> Chain BROKEN at event #{data.brokenAt.id}: {data.brokenAt.reason} (
        {data.checked} events verified before it)
      </span>
    );
  }

  return (
    <div
      role="status"
      className={`mb-4 flex items-center justify-between rounded-lg border px-4 py-2.5 text-sm ${
        data && (!data.ok || data.checkpointProblems.length)
          ? "border-red-300 bg-red-50"
          : data?.ok
            ? "border-emerald-200 bg-emerald-50"
            : "border-slate-200 bg-white"
      }`}
    >
      {body}
      <button
        type="button"
        onClick={() => refetch()}
        disabled={isFetching}
        className="flex items-center gap-1 rounded px-2 py-1 text-xs text-slate-600 hover:bg-white/70 disabled:opacity-50"
      >
        <RefreshCw className={`size-3.5 ${isFetching ? "animate-spin" : ""}`} aria-hidden /> Re-verify
      </button>
    </div>
  );
}
