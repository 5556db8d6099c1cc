"use client";

import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { signOutEverywhereAction } from "../actions";

/** Ends every session of this person on the server — a copied cookie stops working too — then goes to sign-in. */
export function SignOutEverywhere({ count }: { count: number }) {
  const end = useAction(signOutEverywhereAction, { refresh: false });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        size="sm"
        disabled={end.pending}
        onClick={() => end.run({}, () => window.location.assign("/sign-in"))}
      >
        <LogOut className="size-4" aria-hidden />
        {count > 1 ? `Sign out all ${count} sessions` : "Sign out everywhere"}
      </Button>
      {end.error ? (
        <p role="alert" className="text-xs text-red-700">
          {end.error}
        </p>
      ) : null}
    </div>
  );
}
