"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { FileUp, Upload } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { fetchRows } from "@/components/imports/api";
import { ImportProgress } from "@/components/imports/import-progress";
import { useImportUpload } from "@/components/imports/use-import-upload";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { useAction } from "@/components/ui/use-action";
import type { FactorImportResult, FactorImportSummary, FactorRowData } from "@/lib/factors/import/kind";
import { FLAG_LABELS } from "@/lib/factors/import/map";
import { FACTOR_TYPE_LABELS } from "@/lib/factors/strength";
import type { StoredRow } from "@/lib/imports";
import { confirmImportAction, discardImportAction } from "../../../imports/actions";

const STATUS: Record<string, { label: string; tone: Tone }> = {
  new: { label: "New", tone: "success" },
  changed: { label: "Changes", tone: "info" },
  unchanged: { label: "Unchanged", tone: "neutral" },
  no_factors: { label: "No factor", tone: "warning" },
  unmatched: { label: "No such person", tone: "warning" },
  not_person: { label: "Not a person", tone: "neutral" },
  ambiguous: { label: "Ambiguous", tone: "warning" },
  duplicate: { label: "Duplicate", tone: "warning" },
  error: { label: "Error", tone: "danger" },
};
const PAGE = 200;
const n = (v: number) => v.toLocaleString("en-US");

/** Upload → progress while every person is matched and compared → preview → confirm (all or nothing). */
export function FactorImportFlow({ kind, maxBytes, accept }: { kind: string; maxBytes: number; accept: string }) {
  const upload = useImportUpload({ kind, maxBytes, discard: (runId) => discardImportAction({ runId }) });
  const [fileName, setFileName] = useState<string | null>(null);
  const [filter, setFilter] = useState<"all" | "ok" | "not_ok">("all");
  const confirm = useAction(confirmImportAction, { refresh: false });
  const run = upload.run;
  const preview = run && run.status !== "parsing" && run.status !== "failed" ? run : null;
  const rows = useInfiniteQuery({
    queryKey: ["import-rows", preview?.id, filter],
    queryFn: ({ pageParam }) => fetchRows(preview!.id, filter, pageParam, PAGE),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: Boolean(preview && !preview.fileErrors.length),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const list: StoredRow[] = rows.data?.pages.flatMap((p) => p.rows) ?? [];
  const summary = preview?.summary as Partial<FactorImportSummary> | undefined;
  const result = summary?.result as FactorImportResult | undefined;
  const codes = preview?.codes ?? {};
  const reading = upload.uploading || run?.status === "parsing";

  function choose(f: File | undefined) {
    confirm.reset();
    setFileName(f?.name ?? null);
    if (!f) return upload.reset();
    void upload.upload(f, f.name);
  }

  return (
    <Card>
      <CardHeader title="1. Choose the export" description="Nothing is written until you confirm." />
      <div className="flex flex-wrap items-center gap-3 px-4 py-4">
        <label className="inline-flex cursor-pointer items-center gap-2 rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
          <Upload className="size-4" aria-hidden /> Choose file
          <input
            type="file"
            accept={accept}
            className="sr-only"
            aria-label="Factor export"
            onChange={(e) => choose(e.target.files?.[0])}
          />
        </label>
        <span className="text-sm text-slate-600">{fileName ?? "No file chosen"}</span>
        {reading ? <ImportProgress run={run} size={upload.size} noun="file" /> : null}
        {upload.error ? (
          <p role="alert" className="w-full text-sm text-red-700">
            {upload.error}
          </p>
        ) : null}
      </div>

      {preview ? (
        <>
          <div className="border-t border-slate-200 px-4 py-3">
            <h2 className="text-sm font-semibold text-slate-900">2. Check the preview</h2>
            {preview.fileErrors.length ? (
              <ul
                role="alert"
                className="mt-2 list-disc rounded-md border border-red-200 bg-red-50 py-2 pr-3 pl-8 text-sm text-red-800"
              >
                {preview.fileErrors.map((e) => (
                  <li key={e.message}>
                    {e.pointer ? <code className="mr-1 text-xs">{e.pointer}</code> : null}
                    {e.message}
                  </li>
                ))}
              </ul>
            ) : (
              <>
                <div className="mt-2 flex flex-wrap items-center gap-2 text-sm" data-testid="import-summary">
                  <Badge tone="success">{n(preview.counts.ok)} people to update</Badge>
                  {Object.entries(codes)
                    .filter(([c]) => c !== "new" && c !== "changed")
                    .map(([c, count]) => (
                      <Badge key={c} tone={STATUS[c]?.tone ?? "neutral"}>
                        {n(count)} {STATUS[c]?.label.toLowerCase() ?? c}
                      </Badge>
                    ))}
                  {summary?.flags
                    ? (Object.entries(summary.flags) as [keyof typeof FLAG_LABELS, number][])
                        .filter(([, count]) => count > 0)
                        .map(([flag, count]) => (
                          <Badge key={flag} tone="violet">
                            {n(count)} · {FLAG_LABELS[flag]}
                          </Badge>
                        ))
                    : null}
                  {summary?.ignored ? (
                    <Badge tone="neutral">{n(summary.ignored)} factors not active or not counted</Badge>
                  ) : null}
                </div>
                {summary?.unknownMethods?.length ? (
                  <p
                    className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
                    role="status"
                  >
                    Unknown methods, not counted:{" "}
                    {summary.unknownMethods
                      .map((u) => `${u.method} (${n(u.people)} ${u.people === 1 ? "person" : "people"})`)
                      .join(", ")}
                    .
                  </p>
                ) : null}
                {summary?.partial ? (
                  <p
                    className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
                    role="status"
                  >
                    This file is one page of a longer Graph response (it has <code>@odata.nextLink</code>): people on
                    the other pages are not in it and keep what they have.
                  </p>
                ) : null}
                <div className="mt-2 flex gap-3 text-xs text-slate-600">
                  {(["all", "ok", "not_ok"] as const).map((f) => (
                    <label key={f} className="flex items-center gap-1">
                      <input type="radio" name="filter" checked={filter === f} onChange={() => setFilter(f)} />
                      {f === "all" ? "Everyone" : f === "ok" ? "Only changes" : "Only people not imported"}
                    </label>
                  ))}
                </div>
              </>
            )}
          </div>
          {list.length ? (
            <div className="max-h-[560px] overflow-auto border-t border-slate-200">
              <table className="w-full text-left text-sm" aria-label="Import preview">
                <thead className="sticky top-0 bg-slate-50 text-xs text-slate-500">
                  <tr>
                    {["Where", "Status", "Person", "Factors from the export", "Export strength", "Change", "Notes"].map(
                      (h) => (
                        <th key={h} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                          {h}
                        </th>
                      ),
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <PreviewRow key={r.seq} row={r} />
                  ))}
                </tbody>
              </table>
              {rows.hasNextPage ? (
                <div className="border-t border-slate-100 px-3 py-2">
                  <Button size="sm" disabled={rows.isFetchingNextPage} onClick={() => rows.fetchNextPage()}>
                    {rows.isFetchingNextPage ? "Loading…" : `Show ${PAGE} more`}
                  </Button>
                </div>
              ) : null}
            </div>
          ) : null}
          {!preview.fileErrors.length ? (
            <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-4 py-3">
              {result ? (
                <p className="text-sm text-emerald-800" role="status" data-testid="import-result">
                  Imported: {n(result.people)} people, {n(result.added)} factors added, {n(result.updated)} updated,{" "}
                  {n(result.revoked)} revoked.{" "}
                  <Link className="font-medium underline" href="/factors">
                    See the heatmap
                  </Link>
                </p>
              ) : (
                <Button
                  variant="primary"
                  disabled={
                    !preview.counts.ok || confirm.pending || preview.status !== "previewed" || preview.counts.error > 0
                  }
                  onClick={() =>
                    confirm.run({ runId: preview.id, digest: preview.digest!, options: {} }, (done) =>
                      upload.settle(done),
                    )
                  }
                >
                  <FileUp className="size-4" aria-hidden />{" "}
                  {confirm.pending
                    ? "Importing…"
                    : `3. Confirm: update ${n(preview.counts.ok)} ${preview.counts.ok === 1 ? "person" : "people"}`}
                </Button>
              )}
              {preview.counts.error ? (
                <span className="text-sm text-red-700">
                  {n(preview.counts.error)} records cannot be read: fix them and upload again (nothing is imported until
                  then).
                </span>
              ) : null}
              {confirm.error ? (
                <p role="alert" className="w-full text-sm text-red-700">
                  {confirm.error}
                </p>
              ) : null}
            </div>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}

function PreviewRow({ row: r }: { row: StoredRow }) {
  const d = r.data as Partial<FactorRowData>;
  const status = STATUS[r.code ?? r.status] ?? STATUS.error;
  const notes = [
    ...(d.flags ?? []).map((f) => FLAG_LABELS[f]),
    ...(d.unknown?.length ? [`Unknown: ${d.unknown.join(", ")}`] : []),
    ...(d.ignored ?? []).map((i) => `${i.method}: ${i.reason}`),
  ];
  const message = r.code === "new" || r.code === "changed" ? null : r.message;
  return (
    <tr className={`border-t border-slate-100 align-top ${r.status === "error" ? "bg-red-50/50" : ""}`}>
      <td className="px-3 py-1.5 font-mono text-xs text-slate-500">
        {r.line !== null ? `line ${r.line}` : null}
        {r.pointer ? <span className="block">{r.pointer}</span> : null}
      </td>
      <td className="px-3 py-1.5">
        <Badge tone={status.tone}>{status.label}</Badge>
      </td>
      <td className="px-3 py-1.5 whitespace-nowrap">
        {r.targetLabel ?? d.displayName ?? "—"}
        <span className="block font-mono text-xs text-slate-500">{r.key}</span>
      </td>
      <td className="px-3 py-1.5 text-xs">
        {(d.factors ?? []).map((f) => (
          <span key={`${f.key}-${f.usage}`} className="block whitespace-nowrap">
            {FACTOR_TYPE_LABELS[f.type]}
            {f.usage === "recovery" ? " (recovery)" : ""}
            {f.uv ? "" : " (no UV)"}
          </span>
        ))}
      </td>
      <td className="px-3 py-1.5">
        {d.strength && d.factors?.length ? <StrengthBadge strength={d.strength.effective} compact /> : null}
      </td>
      <td className="px-3 py-1.5 text-xs whitespace-nowrap">
        {d.change ? `+${d.change.added} ~${d.change.updated} −${d.change.revoked}` : ""}
      </td>
      <td className="px-3 py-1.5 text-xs text-slate-700">
        {message ? <span className="block">{message}</span> : null}
        {notes.map((x) => (
          <span key={x} className="block text-slate-500">
            {x}
          </span>
        ))}
      </td>
    </tr>
  );
}
