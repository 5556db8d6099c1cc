"use client";

import { CalendarPlus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { useAction } from "@/components/ui/use-action";
import { CADENCE_LABELS, type Cadence, DEFAULT_SCHEDULES } from "@/lib/reviews/rules";
import type { Person } from "../../_components/reviewer-pick";
import {
  FieldError,
  field,
  labelText,
  type ScopeOptions,
  Section,
  type Settings,
  SettingsFields,
} from "../../_components/settings-fields";
import { atLocalTime, settingsInput } from "../../_components/settings-input";
import { createScheduleAction } from "../../actions";

const start = (me: Person): Settings => ({
  kind: "access",
  scope: {},
  noResponsePolicy: "escalate",
  stages: 1,
  fallback: me,
  reminderEveryDays: 3,
  rollbackDays: 7,
});

/** A new schedule: the campaign settings plus how often it runs, how long each run lasts and when it first runs. */
export function ScheduleForm({
  options,
  me,
  defaultFirstRun,
}: {
  options: ScopeOptions;
  me: Person;
  defaultFirstRun: string;
}) {
  const [name, setName] = useState("");
  const [cadence, setCadence] = useState<Cadence>("quarterly");
  const [duration, setDuration] = useState(14);
  const [firstRun, setFirstRun] = useState(defaultFirstRun);
  const [settings, setSettings] = useState<Settings>(start(me));
  const [done, setDone] = useState<string | null>(null);
  const create = useAction(createScheduleAction);

  const suggest = (s: (typeof DEFAULT_SCHEDULES)[number]) => {
    setName(s.name);
    setCadence(s.cadence);
    setSettings({ ...start(me), scope: s.privilegedOnly ? { privilegedOnly: true } : {} });
    setDone(null);
  };

  return (
    <Card>
      <CardHeader
        title="New schedule"
        description="Each run launches a campaign by itself with these settings; its due date is the run plus the duration."
      />
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3 text-sm">
        <span className="text-xs text-slate-600">Start from NIST 800-53 AC-2(j) (FedRAMP Moderate):</span>
        {DEFAULT_SCHEDULES.map((s) => (
          <Button key={s.name} size="sm" onClick={() => suggest(s)}>
            {s.name}
          </Button>
        ))}
      </div>
      <form
        aria-label="New schedule"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run(
            {
              ...settingsInput(settings),
              name: name.trim(),
              cadence,
              durationDays: duration,
              firstRunAt: atLocalTime(firstRun, "08:00") ?? "",
            },
            () => {
              setDone(`“${name.trim()}” scheduled.`);
              setName("");
              setSettings(start(me));
            },
          );
        }}
      >
        <Section title="Schedule">
          <div className="max-w-xl">
            <label className="block">
              <span className={labelText}>Name</span>
              <input
                className={cn(field, "mt-1")}
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="e.g. Privileged access (quarterly)"
                maxLength={200}
              />
            </label>
            <FieldError errors={create.fieldErrors} name="name" />
          </div>
        </Section>
        <SettingsFields
          value={settings}
          onChange={setSettings}
          options={options}
          me={me}
          errors={create.fieldErrors}
          timing={
            <>
              <div>
                <label className="block">
                  <span className={labelText}>Runs</span>
                  <select
                    className={cn(field, "mt-1")}
                    value={cadence}
                    onChange={(e) => setCadence(e.target.value as Cadence)}
                  >
                    {(Object.keys(CADENCE_LABELS) as Cadence[]).map((c) => (
                      <option key={c} value={c}>
                        {CADENCE_LABELS[c]}
                      </option>
                    ))}
                  </select>
                </label>
                <FieldError errors={create.fieldErrors} name="cadence" />
              </div>
              <div>
                <label className="block">
                  <span className={labelText}>Each run lasts (days)</span>
                  <input
                    type="number"
                    min={1}
                    max={90}
                    className={cn(field, "mt-1")}
                    value={duration}
                    onChange={(e) => setDuration(Number(e.target.value))}
                  />
                </label>
                <FieldError errors={create.fieldErrors} name="durationDays" />
              </div>
              <div>
                <label className="block">
                  <span className={labelText}>First run</span>
                  <input
                    type="date"
                    className={cn(field, "mt-1")}
                    value={firstRun}
                    onChange={(e) => setFirstRun(e.target.value)}
                  />
                </label>
                <span className="mt-0.5 block text-[11px] text-slate-500">At 08:00 your time.</span>
                <FieldError errors={create.fieldErrors} name="firstRunAt" />
              </div>
            </>
          }
        />
        <div className="flex items-center justify-end gap-3 border-t border-slate-200 px-4 py-3">
          {create.error ? (
            <p role="alert" className="text-sm text-red-700">
              {create.error}
            </p>
          ) : null}
          {done ? (
            <p role="status" className="text-sm text-emerald-700">
              {done}
            </p>
          ) : null}
          <Button variant="primary" type="submit" disabled={create.pending}>
            <CalendarPlus className="size-4" aria-hidden /> {create.pending ? "Scheduling…" : "Create schedule"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
