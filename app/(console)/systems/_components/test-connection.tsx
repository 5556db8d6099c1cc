"use client";

import { PlugZap } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import { testConnectionAction } from "../actions";

/** Calls the system with its saved settings and shows what each call answered (status, time, text). */
export function TestConnection({ systemId, problem }: { systemId: number; problem: string | null }) {
  const test = useAction(testConnectionAction, { refresh: false });
  const r = test.result;
  return (
    <Card>
      <CardHeader
        title="Test connection"
        description="Calls the system with the saved settings and changes nothing there. Save your edits first."
      />
      <div className="flex flex-col gap-3 px-4 py-3">
        {problem ? (
          <p className="text-xs text-amber-800">
            As saved, the connector cannot work: {problem}. Its tasks become manual ones.
          </p>
        ) : null}
        <div>
          <Button variant="primary" disabled={test.pending} onClick={() => test.run({ systemId })}>
            <PlugZap className="size-4" aria-hidden /> {test.pending ? "Calling…" : "Test connection"}
          </Button>
        </div>
        {test.error ? (
          <p role="alert" className="text-sm text-red-700">
            {test.error}
          </p>
        ) : null}
        {r ? (
          <div role="status" aria-label="Connection test result" className="flex flex-col gap-2">
            <p className="text-sm">
              <Badge tone={r.outcome === "ok" ? "success" : r.outcome === "failed" ? "danger" : "warning"}>
                {r.outcome === "ok"
                  ? "Connected"
                  : r.outcome === "failed"
                    ? "Failed"
                    : r.outcome === "simulated"
                      ? "Simulated"
                      : "Manual"}
              </Badge>{" "}
              <span className="text-slate-700">{r.summary}</span>
            </p>
            {r.steps.length > 0 ? (
              <ol className="flex flex-col gap-2">
                {r.steps.map((s) => (
                  <li key={s.call} className="rounded-md bg-slate-50 px-2.5 py-2 text-xs ring-1 ring-slate-200">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium text-slate-900">{s.call}</span>
                      <Badge tone={s.ok ? "success" : "danger"}>{s.status ?? "no answer"}</Badge>
                      <span className="text-slate-500">{s.latencyMs} ms</span>
                    </div>
                    {s.url ? <div className="mt-0.5 truncate font-mono text-[11px] text-slate-500">{s.url}</div> : null}
                    <div className={`mt-1 ${s.ok ? "text-slate-700" : "text-red-800"}`}>{s.answer}</div>
                  </li>
                ))}
              </ol>
            ) : null}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
