"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { FileUp, Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchRows } from "@/components/imports/api";
import { ImportProgress } from "@/components/imports/import-progress";
import { useImportUpload } from "@/components/imports/use-import-upload";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { StoredRow } from "@/lib/imports";
import type { HrImportResult, HrRowData } from "@/lib/leavers/import";
import { REASON_LABELS } from "@/lib/leavers/labels";
import { confirmImportAction, discardImportAction } from "../../../imports/actions";

const STATUS: Record<string, { label: string; tone: Tone }> = {
  ok: { label: "Will open", tone: "success" },
  error: { label: "Error", tone: "danger" },
  duplicate: { label: "Duplicate in file", tone: "warning" },
  open_case: { label: "Has an open case", tone: "neutral" },
};
const PAGE = 200;

/** Upload → progress while the server checks every row → preview (lines, statuses) → confirm → the batch page. */
export function ImportFlow({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const upload = useImportUpload({
    kind: "hr_leavers",
    maxBytes,
    discard: (runId) => discardImportAction({ runId }),
  });
  const [fileName, setFileName] = useState<string | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [batchName, setBatchName] = useState("");
  const confirmAction = useAction(confirmImportAction, { refresh: false });
  const run = upload.run;
  const preview = run && run.status !== "parsing" && run.status !== "failed" ? run : null;
  const filter = onlyProblems ? "not_ok" : "all";
  const rows = useInfiniteQuery({
    queryKey: ["import-rows", preview?.id, filter],
    queryFn: ({ pageParam }) => fetchRows(preview!.id, filter, pageParam, PAGE),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: Boolean(preview && !preview.fileErrors.length),
    staleTime: Number.POSITIVE_INFINITY,
  });

  function choose(f: File | undefined) {
    confirmAction.reset();
    setFileName(f?.name ?? null);
    if (!f) return upload.reset();
    void upload.upload(f, f.name);
  }

  const list: StoredRow[] = rows.data?.pages.flatMap((p) => p.rows) ?? [];
  const ok = preview?.counts.ok ?? 0;
  const problems = preview ? preview.counts.error + preview.counts.skipped : 0;
  const reading = upload.uploading || run?.status === "parsing";

  return (
    <Card>
      <CardHeader title="1. Choose the file" description="Nothing is written until you confirm." />
      <div className="flex flex-wrap items-center gap-3 px-4 py-4">
        <label className="inline-flex cursor-pointer items-center gap-2 rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
          <Upload className="size-4" aria-hidden /> Choose CSV file
          <input
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            aria-label="HR file (CSV)"
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
                  <li key={e.message}>{e.message}</li>
                ))}
              </ul>
            ) : (
              <div className="mt-2 flex flex-wrap items-center gap-2 text-sm" data-testid="import-summary">
                <Badge tone="success">{ok.toLocaleString("en-US")} will open</Badge>
                {preview.counts.error ? (
                  <Badge tone="danger">{preview.counts.error.toLocaleString("en-US")} with errors</Badge>
                ) : null}
                {preview.codes.duplicate ? <Badge tone="warning">{preview.codes.duplicate} duplicates</Badge> : null}
                {preview.codes.open_case ? <Badge tone="neutral">{preview.codes.open_case} already open</Badge> : null}
                <label className="ml-auto flex items-center gap-1.5 text-xs text-slate-600">
                  <input
                    type="checkbox"
                    checked={onlyProblems}
                    onChange={(e) => setOnlyProblems(e.target.checked)}
                    className="size-4 rounded border-slate-300"
                  />{" "}
                  Only rows that will not open ({problems})
                </label>
              </div>
            )}
          </div>
          {list.length ? (
            <div className="max-h-[520px] overflow-auto border-t border-slate-200">
              <table className="w-full text-left text-sm" aria-label="Import preview">
                <thead className="sticky top-0 bg-slate-50 text-xs text-slate-500">
                  <tr>
                    {["Line", "Status", "Person", "Reason", "Effective", "Last day", "Why"].map((h) => (
                      <th key={h} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                        {h}
                      </th>
                    ))}
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
                    {rows.isFetchingNextPage ? "Loading…" : `Show ${PAGE} more rows`}
                  </Button>
                </div>
              ) : null}
            </div>
          ) : null}
          {!preview.fileErrors.length ? (
            <div className="flex flex-wrap items-end gap-3 border-t border-slate-200 px-4 py-3">
              <label className="flex min-w-72 flex-1 flex-col text-xs font-medium text-slate-700">
                3. Name the batch (optional)
                <input
                  value={batchName}
                  onChange={(e) => setBatchName(e.target.value)}
                  placeholder={`HR import: ${preview.fileName}`}
                  className="mt-0.5 h-9 rounded-md border border-slate-300 px-2 text-sm"
                />
              </label>
              <Button
                variant="primary"
                disabled={!ok || confirmAction.pending || preview.status !== "previewed"}
                onClick={() =>
                  confirmAction.run(
                    { runId: preview.id, digest: preview.digest!, options: { batchName: batchName || undefined } },
                    (done) => {
                      upload.settle(done);
                      router.push(`/leavers/batches/${(done.summary.result as HrImportResult).batchId}`);
                    },
                  )
                }
              >
                <FileUp className="size-4" aria-hidden />{" "}
                {confirmAction.pending ? "Opening cases…" : `Confirm: open ${ok} case${ok === 1 ? "" : "s"}`}
              </Button>
              {problems ? (
                <span className="text-xs text-slate-500">
                  {problems} row{problems === 1 ? "" : "s"} will be skipped.
                </span>
              ) : null}
              {confirmAction.error ? (
                <p role="alert" className="w-full text-sm text-red-700">
                  {confirmAction.error}
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
  const d = r.data as Partial<HrRowData>;
  const status = STATUS[r.code ?? r.status] ?? STATUS[r.status];
  const effective = d.effectiveAt
    ? `${d.effectiveAt.replace("T", " ").slice(0, 16)} UTC`
    : r.status === "ok"
      ? "On import"
      : "—";
  return (
    <tr className={`border-t border-slate-100 ${r.status === "error" ? "bg-red-50/50" : ""}`}>
      <td className="px-3 py-1.5 font-mono text-xs text-slate-500">{r.line}</td>
      <td className="px-3 py-1.5">
        <Badge tone={status.tone}>{status.label}</Badge>
      </td>
      <td className="px-3 py-1.5 whitespace-nowrap">
        {r.targetLabel ?? <span className="font-mono text-xs">{r.key || "—"}</span>}
        {d.department ? <span className="block text-xs text-slate-500">{d.department}</span> : null}
      </td>
      <td className="px-3 py-1.5 whitespace-nowrap">{d.reason ? REASON_LABELS[d.reason] : "—"}</td>
      <td className="px-3 py-1.5 text-xs whitespace-nowrap">{effective}</td>
      <td className="px-3 py-1.5 text-xs whitespace-nowrap">{d.lastDay ?? "—"}</td>
      {/* The reason is the most important text here: it keeps room to be read (acceptance testing found it clipped). */}
      <td className="min-w-64 px-3 py-1.5 text-xs text-slate-700">{r.message ?? ""}</td>
    </tr>
  );
}
