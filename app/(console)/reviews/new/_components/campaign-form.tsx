"use client";

import { Rocket } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { useAction } from "@/components/ui/use-action";
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
import { endOfDay, settingsInput } from "../../_components/settings-input";
import { createCampaignAction } from "../../actions";
import { PreviewPanel, usePreview } from "./preview-panel";

/**
 * A new campaign: name, scope and settings on the left, the live preview of what the scope yields on the right.
 * Launching is a separate, explicit step: "Review and launch" shows what will happen, "Launch campaign" does it.
 */
export function CampaignForm({ options, me, defaultDue }: { options: ScopeOptions; me: Person; defaultDue: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [due, setDue] = useState(defaultDue);
  const [settings, setSettings] = useState<Settings>({
    kind: "access",
    scope: {},
    noResponsePolicy: "escalate",
    stages: 1,
    fallback: me,
    reminderEveryDays: 3,
    rollbackDays: 7,
  });
  const [confirming, setConfirming] = useState(false);
  const [local, setLocal] = useState<Record<string, string[]> | null>(null);
  const create = useAction(createCampaignAction, { refresh: false });
  const errors = local ?? create.fieldErrors;
  const preview = usePreview(settings);
  const counts = preview.pending ? null : preview.data;

  const check = () => {
    const problems: Record<string, string[]> = {};
    if (name.trim().length < 3) problems.name = ["Name the campaign (3 characters at least)."];
    if (!endOfDay(due)) problems.dueAt = ["Pick a due date."];
    if (!settings.fallback) problems.fallbackReviewerId = ["Choose a fallback reviewer."];
    setLocal(Object.keys(problems).length ? problems : null);
    return Object.keys(problems).length === 0;
  };

  const launch = () =>
    create
      .run({ ...settingsInput(settings), name: name.trim(), dueAt: endOfDay(due) ?? "" }, (d) =>
        router.push(`/reviews/${d.campaignId}?launched=1`),
      )
      .then((res) => {
        if (!res.ok) setConfirming(false);
      });

  return (
    <form
      className="grid items-start gap-5 xl:grid-cols-[minmax(0,1fr)_360px]"
      onSubmit={(e) => {
        e.preventDefault();
        if (check()) setConfirming(true);
      }}
      aria-label="New campaign"
    >
      <Card>
        <Section title="Campaign">
          <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_200px]">
            <div>
              <label className="block">
                <span className={labelText}>Name</span>
                <input
                  className={cn(field, "mt-1")}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="e.g. Privileged access — Engineering (Q1)"
                  maxLength={200}
                />
              </label>
              <FieldError errors={errors} name="name" />
            </div>
          </div>
        </Section>
        <SettingsFields
          value={settings}
          onChange={(s) => {
            setSettings(s);
            setConfirming(false);
          }}
          options={options}
          me={me}
          errors={errors}
          timing={
            <div>
              <label className="block">
                <span className={labelText}>Due date</span>
                <input type="date" className={cn(field, "mt-1")} value={due} onChange={(e) => setDue(e.target.value)} />
              </label>
              <span className="mt-0.5 block text-[11px] text-slate-500">End of that day, your time.</span>
              <FieldError errors={errors} name="dueAt" />
            </div>
          }
        />
      </Card>
      <div className="flex flex-col gap-4 xl:sticky xl:top-16">
        <PreviewPanel preview={preview} />
        <Card className="p-4">
          {confirming ? (
            <div role="dialog" aria-label="Launch the campaign" className="flex flex-col gap-3">
              <p className="text-sm text-slate-800">
                Launch <strong>{name.trim()}</strong> now?{" "}
                {counts
                  ? `${counts.items.toLocaleString("en-US")} items go to ${counts.reviewers.toLocaleString("en-US")} reviewers at once`
                  : "Every reviewer sees their items at once"}
                ; they are reminded every {settings.reminderEveryDays} day{settings.reminderEveryDays === 1 ? "" : "s"}{" "}
                until it is due on {due}.
              </p>
              <div className="flex justify-end gap-2">
                <Button variant="ghost" onClick={() => setConfirming(false)} disabled={create.pending}>
                  Back
                </Button>
                <Button variant="primary" onClick={() => void launch()} disabled={create.pending}>
                  <Rocket className="size-4" aria-hidden /> {create.pending ? "Launching…" : "Launch campaign"}
                </Button>
              </div>
            </div>
          ) : (
            <div className="flex flex-col gap-2">
              <Button variant="primary" type="submit" disabled={counts?.items === 0}>
                Review and launch
              </Button>
              <p className="text-xs text-slate-500">
                Nothing is sent until you confirm. The items are selected at launch; access granted later is left to the
                next campaign.
              </p>
            </div>
          )}
          {create.error ? (
            <p role="alert" className="mt-2 text-sm text-red-700">
              {create.error}
            </p>
          ) : null}
        </Card>
      </div>
    </form>
  );
}
