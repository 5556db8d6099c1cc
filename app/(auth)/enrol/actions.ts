"use server";

import { getDb } from "@/db/client";
import { beginPassEnrolment, finishPassEnrolment } from "@/lib/auth/recovery-enrol";
import { beginPassEnrolmentInput, finishPassEnrolmentInput } from "@/lib/auth/schemas";
import { type Failure, toFailure } from "@/lib/errors";

// Public by design: a locked-out person has no session; the one-time enrolment pass of an approved break-glass
// recovery is the credential, checked (and used up) by lib/auth/recovery-enrol.ts. Inputs are validated here.

type Result<T> = { ok: true; data: T } | Failure;

async function run<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    return toFailure(err);
  }
}

export async function beginPassEnrolmentAction(raw: unknown) {
  const input = beginPassEnrolmentInput.safeParse(raw);
  if (!input.success)
    return { ok: false as const, code: "invalid" as const, message: "Enter the pass you were given." };
  return run(async () => beginPassEnrolment(await getDb(), input.data));
}

export async function finishPassEnrolmentAction(raw: unknown) {
  const input = finishPassEnrolmentInput.safeParse(raw);
  if (!input.success)
    return { ok: false as const, code: "invalid" as const, message: "The passkey answer was malformed." };
  return run(async () => finishPassEnrolment(await getDb(), input.data));
}
