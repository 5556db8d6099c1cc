"use server";

import { defineAction } from "@/lib/edge/action";
import { requestReconciliation } from "@/lib/reconciliation/commands";
import { requestReconciliationInput } from "@/lib/reconciliation/schemas";

// Wiring only: the service checks the permission again and does the work.
export const requestReconciliationAction = defineAction({
  name: "reconciliation.request",
  permission: "imports.run",
  input: requestReconciliationInput,
  run: ({ ctx, input }) => requestReconciliation(ctx, input),
});
