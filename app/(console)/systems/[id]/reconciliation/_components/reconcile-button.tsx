"use client";

import { RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { requestReconciliationAction } from "../actions";

/**
 * "Reconcile now": queues a run of the system on the job runner; the page then shows its progress. Also meant for
 * the system page (`systems/[id]`), beside the connector settings.
 */
export function ReconcileButton({ systemId, disabled }: { systemId: number; disabled?: boolean }) {
  const { run, pending, error } = useAction(requestReconciliationAction);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="primary" disabled={disabled || pending} onClick={() => run({ systemId })}>
        <RefreshCw className={pending ? "size-4 animate-spin" : "size-4"} aria-hidden />
        {pending ? "Queuing…" : "Reconcile now"}
      </Button>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
