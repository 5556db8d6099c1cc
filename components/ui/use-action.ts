"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/edge";

/**
 * Runs a server action from a button or form: pending state, the action's own error message (and field
 * errors) on failure — never a raw exception, the edge maps those — and a refresh of the page on success.
 */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, opts: { refresh?: boolean } = {}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]> | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const run = (input: I, onDone?: (data: T) => void) =>
    new Promise<ActionResult<T>>((resolve) => {
      setError(null);
      setFieldErrors(null);
      startTransition(async () => {
        const res = await action(input);
        if (res.ok) {
          setResult(res.data);
          onDone?.(res.data);
          if (opts.refresh !== false) router.refresh();
        } else {
          setError(res.message);
          setFieldErrors(res.fieldErrors ?? null);
        }
        resolve(res);
      });
    });
  const reset = () => (setError(null), setFieldErrors(null), setResult(null));
  return { run, pending, error, fieldErrors, result, reset };
}
