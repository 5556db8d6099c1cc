"use client";

import { UserPlus } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { Role } from "@/lib/authz/roles";
import { grantConsoleRoleAction, removeConsoleRoleAction, searchRoleCandidatesAction } from "../actions";

const field =
  "w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

type Person = { id: number; name: string; email: string | null; title: string | null; department: string | null };

/** Finds an active person and gives them a role (passkey step-up in place when needed). */
export function GrantRole({ roles }: { roles: { role: Role; label: string }[] }) {
  const grant = useAction(grantConsoleRoleAction);
  const search = useAction(searchRoleCandidatesAction, { refresh: false });
  const [q, setQ] = useState("");
  const [person, setPerson] = useState<Person | null>(null);
  const [role, setRole] = useState<Role>("analyst");
  const [done, setDone] = useState<string | null>(null);
  const searchId = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: searching follows the text only (the action is stable)
  useEffect(() => {
    if (q.trim().length < 2) return;
    const t = setTimeout(() => void search.run({ q: q.trim() }), 250);
    return () => clearTimeout(t);
  }, [q]);
  const results = q.trim().length >= 2 && !person ? (search.result ?? []) : [];
  return (
    <Card>
      <CardHeader title="Give a console role" description="Active people only. They get it on their next click." />
      <form
        className="flex flex-col gap-3 px-4 py-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!person) return;
          setDone(null);
          grant.run({ identityId: person.id, role }, (r) => {
            setDone(`${r.name} now holds the ${roles.find((x) => x.role === r.role)?.label} role.`);
            setPerson(null);
            setQ("");
          });
        }}
      >
        <div>
          <label htmlFor={searchId} className="text-xs font-medium text-slate-700">
            Person
          </label>
          {person ? (
            <div className="mt-1 flex items-center justify-between gap-2 rounded-md bg-slate-50 px-2.5 py-1.5 text-sm ring-1 ring-slate-200">
              <span data-testid="role-person">
                <span className="font-medium text-slate-900">{person.name}</span>{" "}
                <span className="text-xs text-slate-500">{person.email}</span>
              </span>
              <Button size="sm" variant="ghost" onClick={() => setPerson(null)}>
                Change
              </Button>
            </div>
          ) : (
            <>
              <input
                id={searchId}
                className={`${field} mt-1`}
                value={q}
                onChange={(e) => setQ(e.target.value)}
                placeholder="Name or email"
                autoComplete="off"
              />
              {results.length > 0 ? (
                <ul
                  className="mt-1 max-h-48 overflow-y-auto rounded-md ring-1 ring-slate-200"
                  aria-label="Matching people"
                >
                  {results.map((p) => (
                    <li key={p.id}>
                      <button
                        type="button"
                        className="w-full px-2.5 py-1.5 text-left text-sm hover:bg-slate-100"
                        onClick={() => setPerson(p)}
                      >
                        {p.name}{" "}
                        <span className="text-xs text-slate-500">
                          {[p.title, p.department].filter(Boolean).join(" · ")}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : q.trim().length >= 2 && search.result && !search.pending ? (
                <p className="mt-1 text-xs text-slate-500">No active person matches.</p>
              ) : null}
            </>
          )}
        </div>
        <label className="text-xs font-medium text-slate-700">
          Role
          <select className={`${field} mt-1`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {grant.error ? (
          <p role="alert" className="text-sm text-red-700">
            {grant.error}
          </p>
        ) : null}
        {done ? (
          <p role="status" className="text-sm text-emerald-800">
            {done}
          </p>
        ) : null}
        <div>
          <Button type="submit" variant="primary" disabled={!person || grant.pending}>
            <UserPlus className="size-4" aria-hidden /> {grant.pending ? "Granting…" : "Grant role"}
          </Button>
        </div>
        <p className="text-[11px] text-slate-500">Needs a passkey sign-in within the last 5 minutes.</p>
      </form>
    </Card>
  );
}

/** Removing a role signs the person out everywhere at once; the last active administrator keeps theirs. */
export function RemoveRole(p: { identityId: number; name: string; role: Role; roleLabel: string; lastAdmin: boolean }) {
  const remove = useAction(removeConsoleRoleAction);
  const [confirming, setConfirming] = useState(false);
  if (p.lastAdmin) return <span className="text-[11px] text-slate-500">Last active administrator</span>;
  if (!confirming) {
    return (
      <Button
        size="sm"
        variant="ghost"
        onClick={() => setConfirming(true)}
        aria-label={`Remove ${p.roleLabel} from ${p.name}`}
      >
        Remove
      </Button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      {remove.error ? (
        <span role="alert" className="text-xs text-red-700">
          {remove.error}
        </span>
      ) : (
        <span className="text-xs text-slate-600">Signs {p.name} out everywhere.</span>
      )}
      <Button
        size="sm"
        variant="danger"
        disabled={remove.pending}
        onClick={() => remove.run({ identityId: p.identityId, role: p.role }, () => setConfirming(false))}
        aria-label={`Confirm removing ${p.roleLabel} from ${p.name}`}
      >
        {remove.pending ? "Removing…" : "Remove role"}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
    </span>
  );
}
