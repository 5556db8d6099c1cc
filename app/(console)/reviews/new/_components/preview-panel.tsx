"use client";

import { AlertTriangle, Loader2 } from "lucide-react";
import { useEffect, useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { Settings } from "../../_components/settings-fields";
import { settingsInput } from "../../_components/settings-input";
import { previewCampaignAction } from "../../actions";

/**
 * Counts what the scope yields now (debounced: the preview runs the launch's own selection, writing nothing). It is
 * pending until the counts are those of the settings on screen (`counted` is the key they were made for).
 */
export function usePreview(settings: Settings) {
  const preview = useAction(previewCampaignAction, { refresh: false });
  const [counted, setCounted] = useState<string | null>(null);
  const input = settings.fallback
    ? { kind: settings.kind, scope: settingsInput(settings).scope, fallbackReviewerId: settings.fallback.id }
    : null;
  const key = JSON.stringify(input);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-count when what the preview depends on changes (key)
  useEffect(() => {
    if (!input) return;
    const t = setTimeout(() => void preview.run(input).then(() => setCounted(key)), 400);
    return () => clearTimeout(t);
  }, [key]);
  return {
    data: preview.result,
    pending: Boolean(input) && (preview.pending || counted !== key),
    error: preview.error,
  };
}

const n = (x: number) => x.toLocaleString("en-US");

/** The preview: the selection in words, items and reviewers, and where the items without a natural reviewer go. */
export function PreviewPanel({ preview }: { preview: ReturnType<typeof usePreview> }) {
  const p = preview.data;
  return (
    <Card>
      <CardHeader
        title="Preview"
        description="What launching now would create."
        actions={
          preview.pending ? (
            <span className="flex items-center gap-1 text-xs text-slate-500">
              <Loader2 className="size-3.5 animate-spin" aria-hidden /> Counting…
            </span>
          ) : null
        }
      />
      <div className="px-4 py-3" aria-live="polite" data-testid="campaign-preview" aria-busy={preview.pending}>
        {preview.error ? (
          <p role="alert" className="text-sm text-red-700">
            {preview.error}
          </p>
        ) : !p ? (
          <p className="text-sm text-slate-500">Choose a scope to see how many items it yields.</p>
        ) : (
          <>
            <dl className="grid grid-cols-2 gap-3">
              <div>
                <dt className="text-xs text-slate-500">Items to review</dt>
                <dd className="text-2xl font-semibold text-slate-900 tabular-nums" data-testid="preview-items">
                  {n(p.items)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Reviewers</dt>
                <dd className="text-2xl font-semibold text-slate-900 tabular-nums" data-testid="preview-reviewers">
                  {n(p.reviewers)}
                </dd>
              </div>
            </dl>
            <ul className="mt-3 flex flex-col gap-1 text-xs text-slate-700">
              <li>
                <span className="tabular-nums">{n(p.toFallback)}</span> to the fallback reviewer (no manager or owner
                who can decide)
              </li>
              {p.toSystemOwner ? (
                <li>
                  <span className="tabular-nums">{n(p.toSystemOwner)}</span> to the system's owner (no fallback
                  possible)
                </li>
              ) : null}
              <li>
                <span className="tabular-nums">{n(p.skippedOpenCase)}</span> of {n(p.matched)} matches left to open
                leaver cases
              </li>
              {p.unassigned ? (
                <li className="text-amber-800">{n(p.unassigned)} with nobody who may review them: they are left out</li>
              ) : null}
            </ul>
            {p.items === 0 ? (
              <p className="mt-3 flex items-start gap-1.5 rounded-md bg-amber-50 px-2 py-1.5 text-xs text-amber-900">
                <AlertTriangle className="mt-0.5 size-3.5 shrink-0" aria-hidden /> Nothing to review in this scope:
                widen it to launch.
              </p>
            ) : null}
            <p className="mt-3 border-t border-slate-100 pt-2 text-xs text-slate-500">{p.definition}</p>
          </>
        )}
      </div>
    </Card>
  );
}
