"use client";

import { FileUp, Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { ImportPreview, RowStatus } from "@/lib/leavers/import";
import { REASON_LABELS } from "@/lib/leavers/labels";
import { confirmImportAction, previewImportAction } from "../../actions";

const STATUS: Record<RowStatus, { label: string; tone: Tone }> = {
  ok: { label: "Will open", tone: "success" },
  error: { label: "Error", tone: "danger" },
  duplicate: { label: "Duplicate in file", tone: "warning" },
  open_case: { label: "Has an open case", tone: "neutral" },
};

/** Upload → preview (every row, errors with line numbers) → confirm → the batch's live progress page. */
export function ImportFlow() {
  const router = useRouter();
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [batchName, setBatchName] = useState("");
  const previewAction = useAction(previewImportAction, { refresh: false });
  const confirmAction = useAction(confirmImportAction, { refresh: false });

  async function choose(f: File | undefined) {
    setPreview(null);
    if (!f) return setFile(null);
    const csv = await f.text();
    setFile({ name: f.name, csv });
    previewAction.run({ csv, fileName: f.name }, setPreview);
  }

  const rows = preview ? (onlyProblems ? preview.rows.filter((r) => r.status !== "ok") : preview.rows) : [];
  const ok = preview?.counts.ok ?? 0;
  const problems = preview ? preview.rows.length - ok : 0;

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
        <span className="text-sm text-slate-600">{file ? file.name : "No file chosen"}</span>
        {previewAction.pending ? <span className="text-sm text-slate-500">Checking every row…</span> : null}
        {previewAction.error ? (
          <p role="alert" className="text-sm text-red-700">
            {previewAction.error}
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
                  <li key={e}>{e}</li>
                ))}
              </ul>
            ) : (
              <div className="mt-2 flex flex-wrap items-center gap-2 text-sm" data-testid="import-summary">
                <Badge tone="success">{ok} will open</Badge>
                {preview.counts.error ? <Badge tone="danger">{preview.counts.error} with errors</Badge> : null}
                {preview.counts.duplicate ? <Badge tone="warning">{preview.counts.duplicate} duplicates</Badge> : null}
                {preview.counts.open_case ? (
                  <Badge tone="neutral">{preview.counts.open_case} already open</Badge>
                ) : null}
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
          {rows.length ? (
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
                  {rows.map((r) => (
                    <tr
                      key={r.line}
                      className={`border-t border-slate-100 ${r.status === "error" ? "bg-red-50/50" : ""}`}
                    >
                      <td className="px-3 py-1.5 font-mono text-xs text-slate-500">{r.line}</td>
                      <td className="px-3 py-1.5">
                        <Badge tone={STATUS[r.status].tone}>{STATUS[r.status].label}</Badge>
                      </td>
                      <td className="px-3 py-1.5 whitespace-nowrap">
                        {r.name ?? <span className="font-mono text-xs">{r.key || "—"}</span>}
                        {r.department ? <span className="block text-xs text-slate-500">{r.department}</span> : null}
                      </td>
                      <td className="px-3 py-1.5 whitespace-nowrap">{r.reason ? REASON_LABELS[r.reason] : "—"}</td>
                      <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                        {r.effectiveAt ? `${r.effectiveAt.replace("T", " ").slice(0, 16)} UTC` : "—"}
                      </td>
                      <td className="px-3 py-1.5 text-xs whitespace-nowrap">{r.lastDay ?? "—"}</td>
                      <td className="px-3 py-1.5 text-xs text-slate-700">{r.message ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
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
                disabled={!ok || confirmAction.pending || !file}
                onClick={() =>
                  file &&
                  confirmAction.run(
                    { csv: file.csv, fileName: file.name, digest: preview.digest, batchName: batchName || undefined },
                    (d) => router.push(`/leavers/batches/${d.batchId}`),
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
