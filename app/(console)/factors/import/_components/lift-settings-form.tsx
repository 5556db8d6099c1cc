"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import { LIFT_SETTINGS, type LiftSettings } from "@/lib/factors/vendor-mapping";
import { updateLiftSettingsAction } from "../actions";

/**
 * The organisation's answers to what an export cannot say. Admins change them (with a passkey step-up); factors
 * already imported are re-mapped at once and the change is audited. Others see the current answers.
 */
export function LiftSettingsForm({ settings, canEdit }: { settings: LiftSettings; canEdit: boolean }) {
  const [value, setValue] = useState(settings);
  const save = useAction(updateLiftSettingsAction);
  const names = Object.keys(LIFT_SETTINGS) as (keyof LiftSettings)[];
  const dirty = names.some((n) => value[n] !== settings[n]);
  return (
    <Card>
      <CardHeader
        title="Organisation settings for ambiguous methods"
        description={
          canEdit
            ? "Turn one on only when it holds for everyone in your Okta org. Factors already imported are re-mapped when you save."
            : "Administrators set these; they apply to every import and to factors already imported."
        }
      />
      <form
        className="flex flex-col gap-3 px-4 py-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.run(value, (r) => setValue((r as { settings: LiftSettings }).settings));
        }}
      >
        {names.map((n) => (
          <label key={n} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 rounded border-slate-300"
              checked={value[n]}
              disabled={!canEdit}
              onChange={(e) => setValue({ ...value, [n]: e.target.checked })}
            />
            <span>
              <span className="font-medium text-slate-900">{LIFT_SETTINGS[n].label}</span>
              <span className="block text-xs text-slate-600">{LIFT_SETTINGS[n].description}</span>
            </span>
          </label>
        ))}
        {canEdit ? (
          <div className="flex items-center gap-3">
            <Button type="submit" variant="primary" disabled={!dirty || save.pending}>
              {save.pending ? "Saving…" : "Save settings"}
            </Button>
            {save.result && !dirty ? (
              <span className="text-xs text-slate-600" role="status">
                Saved; {(save.result as { remapped: number }).remapped} imported factors re-mapped.
              </span>
            ) : null}
            {save.error ? (
              <p role="alert" className="text-sm text-red-700">
                {save.error}
              </p>
            ) : null}
          </div>
        ) : null}
      </form>
    </Card>
  );
}
