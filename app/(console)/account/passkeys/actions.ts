"use server";

import { signOutEverywhere } from "@/lib/auth/console-sessions";
import { beginRegistration, finishRegistration, removePasskey, renamePasskey } from "@/lib/auth/passkeys";
import { emptyInput, finishRegistrationInput, removePasskeyInput, renamePasskeyInput } from "@/lib/auth/schemas";
import { STEP_UP } from "@/lib/authz";
import { defineAction } from "@/lib/edge/action";

// Wiring only: every console user manages their own passkeys; the lib service acts on the caller's alone.

export const beginRegistrationAction = defineAction({
  name: "passkey.register_start",
  permission: "passkeys.manage",
  input: emptyInput,
  run: ({ ctx }) => beginRegistration(ctx),
});

export const finishRegistrationAction = defineAction({
  name: "passkey.register",
  permission: "passkeys.manage",
  input: finishRegistrationInput,
  run: ({ ctx, input }) => finishRegistration(ctx, input),
});

export const renamePasskeyAction = defineAction({
  name: "passkey.rename",
  permission: "passkeys.manage",
  input: renamePasskeyInput,
  run: ({ ctx, input }) => renamePasskey(ctx, input),
});

export const removePasskeyAction = defineAction({
  name: "passkey.remove",
  permission: "passkeys.manage",
  // A hijacked session must not be able to strip the owner's passkeys.
  assurance: STEP_UP,
  input: removePasskeyInput,
  run: ({ ctx, input }) => removePasskey(ctx, input),
});

// Ends every console session of the caller, this one too (the page then sends them to sign in).
export const signOutEverywhereAction = defineAction({
  name: "auth.sessions_end",
  permission: "passkeys.manage",
  input: emptyInput,
  run: ({ ctx }) => signOutEverywhere(ctx),
});
