"use client";

import { KeyRound, Pencil, Trash2 } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { removePasskeyAction, renamePasskeyAction } from "../actions";

export type PasskeyView = {
  id: number;
  name: string;
  kind: string;
  created: string;
  lastUsed: string;
};

/** One passkey: rename in place; remove after a confirmation (and a step-up, which useAction runs). */
export function PasskeyRow({ passkey: p }: { passkey: PasskeyView }) {
  const [mode, setMode] = useState<"view" | "rename" | "remove">("view");
  const rename = useAction(renamePasskeyAction);
  const remove = useAction(removePasskeyAction);
  const error = rename.error ?? remove.error;

  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" aria-label={`Passkey ${p.name}`}>
      <div className="flex min-w-0 items-center gap-3">
        <KeyRound className="size-5 shrink-0 text-slate-400" aria-hidden />
        {mode === "rename" ? (
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const name = String(new FormData(e.currentTarget).get("name") ?? "");
              rename.run({ passkeyId: p.id, name }, () => setMode("view"));
            }}
          >
            <label className="sr-only" htmlFor={`rename-${p.id}`}>
              New name for {p.name}
            </label>
            <input
              id={`rename-${p.id}`}
              name="name"
              defaultValue={p.name}
              required
              maxLength={60}
              className="h-8 w-52 rounded-md border border-slate-300 px-2 text-sm"
            />
            <Button size="sm" variant="primary" type="submit" disabled={rename.pending}>
              Save
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("view")}>
              Cancel
            </Button>
          </form>
        ) : (
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-slate-900">{p.name}</p>
            <p className="text-xs text-slate-500">
              Added {p.created} · last used {p.lastUsed}
            </p>
          </div>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={p.kind.startsWith("Synced") ? "info" : "violet"}>{p.kind}</Badge>
        {mode === "view" ? (
          <>
            <Button size="sm" variant="ghost" onClick={() => setMode("rename")} aria-label={`Rename ${p.name}`}>
              <Pencil className="size-3.5" aria-hidden /> Rename
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("remove")} aria-label={`Remove ${p.name}`}>
              <Trash2 className="size-3.5" aria-hidden /> Remove
            </Button>
          </>
        ) : null}
        {mode === "remove" ? (
          <>
            <span className="text-xs text-slate-600">Remove this passkey?</span>
            <Button
              size="sm"
              variant="danger"
              disabled={remove.pending}
              onClick={() => remove.run({ passkeyId: p.id }, () => setMode("view"))}
            >
              Remove
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("view")}>
              Keep
            </Button>
          </>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="w-full text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </li>
  );
}
