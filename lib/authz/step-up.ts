import { StepUpRequired } from "@/lib/errors";
import type { Actor } from "./actor";
import { type Assurance, meetsAssurance } from "./assurance";

/**
 * For services where only some cases need a step-up (closing a review campaign before its due date): throws
 * `StepUpRequired`, which the edge answers with `step_up_required` like a declared `assurance`. Jobs (the system
 * actor) pass.
 */
export function requireAssurance(ctx: { actor: Actor; now: Date }, need: Assurance): void {
  if (!meetsAssurance(ctx.actor, need, ctx.now)) throw new StepUpRequired(need);
}
