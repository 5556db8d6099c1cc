"use client";

import { FileCheck2, Lock, Play, Radar } from "lucide-react";
import { useState } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { checkDriftAction, closeCaseAction, executeCasesAction } from "../../actions";

/** Case-level actions: queue every automatable task, close once everything is verified or waived, re-check drift. */
export function CaseActions(p: {
  caseId: number;
  status: string;
  automatable: number;
  outstanding: number;
  canManage: boolean;
}) {
  const execute = useAction(executeCasesAction);
  const close = useAction(closeCaseAction);
  const drift = useAction(checkDriftAction);
  const [notice, setNotice] = useState<string | null>(null);
  const closed = p.status === "closed";
  const error = execute.error ?? close.error ?? drift.error;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        {/* Nothing left for a connector to do: no button promising "0" (acceptance testing). */}
        {p.canManage && !closed && p.automatable > 0 ? (
          <Button
            variant="primary"
            disabled={execute.pending}
            onClick={() =>
              execute.run({ caseIds: [p.caseId] }, (d) =>
                setNotice(`${d.queued} task${d.queued === 1 ? "" : "s"} queued.`),
              )
            }
          >
            <Play className="size-4" aria-hidden /> Execute {p.automatable} automatable
          </Button>
        ) : null}
        {p.canManage && !closed ? (
          <Button
            disabled={p.outstanding > 0 || close.pending}
            onClick={() => close.run({ caseId: p.caseId })}
            title={p.outstanding ? `${p.outstanding} tasks are not verified or waived yet` : undefined}
          >
            <Lock className="size-4" aria-hidden /> Close case
          </Button>
        ) : null}
        {p.canManage && closed ? (
          <Button
            disabled={drift.pending}
            onClick={() =>
              drift.run({ caseId: p.caseId }, (d) =>
                setNotice(
                  d.drifted
                    ? `${d.drifted} revocation${d.drifted === 1 ? "" : "s"} drifted: case reopened.`
                    : `All ${d.checked} revocations still hold.`,
                ),
              )
            }
          >
            <Radar className="size-4" aria-hidden /> {drift.pending ? "Re-verifying…" : "Re-verify now"}
          </Button>
        ) : null}
        <ButtonLink href={`/leavers/${p.caseId}/report`} variant={closed ? "primary" : "secondary"}>
          <FileCheck2 className="size-4" aria-hidden /> Revocation report
        </ButtonLink>
      </div>
      <p role="status" className="min-h-4 text-xs text-emerald-700">
        {notice}
      </p>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
