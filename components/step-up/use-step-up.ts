"use client";

import { createContext, useCallback, useContext } from "react";
import type { Assurance } from "@/lib/authz/assurance";
import type { ActionResult } from "@/lib/edge/core";

/** Asks the person to step up (the dialog of StepUpProvider); resolves true once the session has a fresh one. */
export type AskStepUp = (need: Assurance, reason: string) => Promise<boolean>;

export const StepUpContext = createContext<AskStepUp | null>(null);

/**
 * The one way a page calls an action that may need a step-up:
 *
 *   const run = useStepUp();
 *   const result = await run(() => waiveTaskAction(input));
 *
 * Calls the action; when it answers `step_up_required`, runs the passkey ceremony in place (a dialog saying why)
 * and calls it once more, returning that result. If the person cancels, or has no passkey (the dialog links to
 * My passkeys), the first failure comes back unchanged. Outside the console layout (no provider) it only calls.
 * `useAction` (components/ui/use-action.ts) goes through it, so every action button gets this for free.
 */
export function useStepUp() {
  const ask = useContext(StepUpContext);
  return useCallback(
    async <T>(call: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> => {
      const first = await call();
      if (first.ok || first.code !== "step_up_required" || !ask) return first;
      return (await ask(first.stepUp ?? {}, first.message)) ? call() : first;
    },
    [ask],
  );
}
