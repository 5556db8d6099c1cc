"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useStepUp } from "@/components/step-up/use-step-up";
import type { Assurance } from "@/lib/authz/assurance";
import type { ActionResult } from "@/lib/edge/core";

/**
 * Runs a server action from a button or form: pending state, the action's own error message (and field
 * errors) on failure — never a raw exception, the edge maps those — and a refresh of the page on success.
 *
 * When the action needs a stronger or more recent sign-in (`step_up_required`), the call goes through useStepUp:
 * the passkey dialog opens in place and the action is retried once. If the person cancels, the failure's message
 * ("This needs a passkey sign-in within the last 5 minutes.") is shown like any other error and `stepUp` holds
 * what the action needs.
 */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, opts: { refresh?: boolean } = {}) {
  const router = useRouter();
  const withStepUp = useStepUp();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]> | null>(null);
  const [stepUp, setStepUp] = useState<Assurance | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const clear = () => {
    setError(null);
    setFieldErrors(null);
    setStepUp(null);
  };
  const run = (input: I, onDone?: (data: T) => void) =>
    new Promise<ActionResult<T>>((resolve) => {
      clear();
      startTransition(async () => {
        const res = await withStepUp(() => action(input));
        if (res.ok) {
          setResult(res.data);
          onDone?.(res.data);
          if (opts.refresh !== false) router.refresh();
        } else {
          setError(res.message);
          setFieldErrors(res.fieldErrors ?? null);
          if (res.code === "step_up_required") setStepUp(res.stepUp ?? {});
        }
        resolve(res);
      });
    });
  const reset = () => {
    clear();
    setResult(null);
  };
  return { run, pending, error, fieldErrors, stepUp, result, reset };
}
