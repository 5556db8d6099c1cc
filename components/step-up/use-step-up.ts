"use client";

import { useCallback } from "react";
import type { ActionResult } from "@/lib/edge/core";

/**
 * Stand-in until console passkeys land: runs the action once and hands back its result. The real hook runs the
 * WebAuthn ceremony in place when the action answers `step_up_required` and retries once; until then the caller
 * shows that failure's message like any other.
 */
export function useStepUp() {
  return useCallback(<T>(call: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> => call(), []);
}
