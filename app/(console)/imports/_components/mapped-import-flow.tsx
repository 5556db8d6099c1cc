"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { FileUp, Upload } from "lucide-react";
import { useState } from "react";
import { fetchRows } from "@/components/imports/api";
import { ImportProgress } from "@/components/imports/import-progress";
import { useImportUpload } from "@/components/imports/use-import-upload";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { StoredRow } from "@/lib/imports";
import type { MappingField } from "@/lib/imports/mapping";
import type { MappingChoice } from "@/lib/imports/mappings";
import { confirmImportAction, discardImportAction, saveMappingAction } from "../actions";

const n = (v: number) => v.toLocaleString("en-US");
const PAGE = 200;

/** The header line of a CSV file, read from its first 64 KB in the browser (for the mapping's selects). */
async function headersOf(file: File): Promise<string[]> {
  const head = await file.slice(0, 65_536).text();
  if (/^\s*[[{]/.test(head)) return [];
  const line = head.replace(/^\uFEFF/, "").split(/\r?\n/)[0] ?? "";
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out.filter(Boolean);
}

/**
 * Choose the system and the mapping (a preset, a saved one, or columns mapped here and optionally saved under the
 * source's name) → upload with progress → preview of every row with its line and reason → confirm.
 */
export function MappedImportFlow(props: {
  kind: string;
  label: string;
  maxBytes: number;
  fields: MappingField[];
  mappings: MappingChoice[];
  systems: { id: number; name: string }[];
  needsSystem: "required" | "optional" | "none";
}) {
  const upload = useImportUpload({
    kind: props.kind,
    maxBytes: props.maxBytes,
    discard: (runId) => discardImportAction({ runId }),
  });
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [systemId, setSystemId] = useState<string>("");
  const [mapping, setMapping] = useState<string>("");
  const [columns, setColumns] = useState<Record<string, string>>({});
  const [source, setSource] = useState("");
  const [endMissing, setEndMissing] = useState(false);
  const [filter, setFilter] = useState<"all" | "ok" | "not_ok">("all");
  const save = useAction(saveMappingAction);
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
  const reading = upload.uploading || run?.status === "parsing";
  const result = (preview?.summary as { result?: Record<string, number> } | undefined)?.result;
  const missing = (preview?.summary as { missingAccounts?: number } | undefined)?.missingAccounts;

  function pickMapping(name: string) {
    setMapping(name);
    setColumns(props.mappings.find((m) => m.source === name)?.fields ?? {});
    setSource(name);
  }
  async function choose(f: File | undefined) {
    confirm.reset();
    setFile(f ?? null);
    setHeaders(f ? await headersOf(f) : []);
    upload.reset();
  }
  function start() {
    if (!file) return;
    const params: Record<string, unknown> = { columns };
    if (systemId) params.systemId = Number(systemId);
    void upload.upload(file, file.name, params);
  }

  return (
    <Card>
      <CardHeader
        title={`1. Choose the ${props.label.toLowerCase()} and its columns`}
        description="Nothing is written until you confirm."
      />
      <div className="flex flex-col gap-3 px-4 py-4 text-sm">
        <div className="flex flex-wrap items-center gap-3">
          <label className="inline-flex cursor-pointer items-center gap-2 rounded-md bg-white px-3.5 py-2 font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
            <Upload className="size-4" aria-hidden /> Choose file
            <input
              type="file"
              className="sr-only"
              aria-label="File to import"
              onChange={(e) => void choose(e.target.files?.[0])}
            />
          </label>
          <span className="text-slate-600">{file?.name ?? "No file chosen"}</span>
        </div>
        {props.needsSystem !== "none" ? (
          <label className="flex items-center gap-2">
            <span className="w-28 text-slate-700">System{props.needsSystem === "optional" ? " (issuer)" : ""}</span>
            <select
              aria-label="System"
              className="rounded-md border-slate-300 text-sm"
              value={systemId}
              onChange={(e) => setSystemId(e.target.value)}
            >
              <option value="">{props.needsSystem === "optional" ? "From the file's issuer column" : "Choose…"}</option>
              {props.systems.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="flex items-center gap-2">
          <span className="w-28 text-slate-700">Mapping</span>
          <select
            aria-label="Mapping"
            className="rounded-md border-slate-300 text-sm"
            value={mapping}
            onChange={(e) => pickMapping(e.target.value)}
          >
            <option value="">Custom (headers as named)</option>
            {props.mappings.map((m) => (
              <option key={m.source} value={m.source}>
                {m.source}
                {m.preset ? " (preset)" : ""}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-xs font-semibold text-slate-700">Columns of the file</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {props.fields.map((f) => (
              <label key={f.name} className="flex items-center gap-2 text-xs">
                <span className="w-40 text-slate-700">
                  {f.label}
                  {f.required ? " *" : ""}
                </span>
                <select
                  aria-label={`Column for ${f.label}`}
                  className="flex-1 rounded-md border-slate-300 text-xs"
                  value={columns[f.name] ?? ""}
                  onChange={(e) => setColumns({ ...columns, [f.name]: e.target.value })}
                >
                  <option value="">{columns[f.name] ? "" : "By its name"}</option>
                  {[...new Set([...(columns[f.name] ? [columns[f.name]] : []), ...headers])].map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <input
              aria-label="Source name"
              placeholder="Source name (e.g. Workday)"
              className="rounded-md border-slate-300 text-xs"
              value={source}
              onChange={(e) => setSource(e.target.value)}
            />
            <Button
              size="sm"
              disabled={!source.trim() || save.pending}
              onClick={() => save.run({ kind: props.kind, source, fields: columns })}
            >
              {save.pending ? "Saving…" : "Save mapping"}
            </Button>
            {save.result ? <span className="text-xs text-emerald-700">Saved.</span> : null}
            {save.error ? (
              <span role="alert" className="text-xs text-red-700">
                {save.error}
              </span>
            ) : null}
          </div>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <Button
            variant="primary"
            disabled={!file || reading || (props.needsSystem === "required" && !systemId)}
            onClick={start}
          >
            Preview
          </Button>
          {reading ? <ImportProgress run={run} size={upload.size} noun="file" /> : null}
        </div>
        {upload.error ? (
          <p role="alert" className="text-red-700">
            {upload.error}
          </p>
        ) : null}
      </div>

      {preview ? (
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
            <>
              <div className="mt-2 flex flex-wrap gap-2 text-sm" data-testid="import-summary">
                <Badge tone="success">{n(preview.counts.ok)} to import</Badge>
                <Badge tone="danger">{n(preview.counts.error)} with errors</Badge>
                {Object.entries(preview.codes ?? {}).map(([c, count]) => (
                  <Badge key={c} tone="neutral">
                    {n(count)} {c.replace(/_/g, " ")}
                  </Badge>
                ))}
              </div>
              <div className="mt-2 flex gap-3 text-xs text-slate-600">
                {(["all", "ok", "not_ok"] as const).map((f) => (
                  <label key={f} className="flex items-center gap-1">
                    <input type="radio" name="filter" checked={filter === f} onChange={() => setFilter(f)} />
                    {f === "all" ? "Every row" : f === "ok" ? "Only rows to import" : "Only rows not imported"}
                  </label>
                ))}
              </div>
              <div className="mt-2 max-h-[480px] overflow-auto">
                <table className="w-full text-left text-sm" aria-label="Import preview">
                  <thead className="sticky top-0 bg-slate-50 text-xs text-slate-500">
                    <tr>
                      {["Where", "Outcome", "Key", "Matched", "Reason"].map((h) => (
                        <th key={h} scope="col" className="px-3 py-2 font-medium">
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((r) => (
                      <tr
                        key={r.seq}
                        className={`border-t border-slate-100 ${r.status === "error" ? "bg-red-50/50" : ""}`}
                      >
                        <td className="px-3 py-1.5 font-mono text-xs text-slate-500">
                          {r.line !== null ? `line ${r.line}` : r.pointer}
                        </td>
                        <td className="px-3 py-1.5">
                          <Badge tone={r.status === "ok" ? "success" : r.status === "error" ? "danger" : "warning"}>
                            {(r.code ?? r.status).replace(/_/g, " ")}
                          </Badge>
                        </td>
                        <td className="px-3 py-1.5 font-mono text-xs">{r.key}</td>
                        <td className="px-3 py-1.5">{r.targetLabel ?? "—"}</td>
                        <td className="min-w-64 px-3 py-1.5 text-xs text-slate-700">{r.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {rows.hasNextPage ? (
                  <Button size="sm" disabled={rows.isFetchingNextPage} onClick={() => rows.fetchNextPage()}>
                    Show {PAGE} more
                  </Button>
                ) : null}
              </div>
              <div className="mt-3 flex flex-wrap items-center gap-3">
                {props.kind === "accounts_csv" ? (
                  <label className="flex items-center gap-1 text-sm">
                    <input type="checkbox" checked={endMissing} onChange={(e) => setEndMissing(e.target.checked)} />
                    End what the file no longer lists
                    {missing !== undefined ? ` (${n(missing)} accounts, and grants no row lists)` : ""}
                  </label>
                ) : null}
                {result ? (
                  <p className="text-sm text-emerald-800" role="status" data-testid="import-result">
                    Imported:{" "}
                    {Object.entries(result)
                      .filter(([, v]) => typeof v === "number")
                      .map(([k, v]) => `${k.replace(/([A-Z])/g, " $1").toLowerCase()} ${n(v)}`)
                      .join(", ")}
                    .
                  </p>
                ) : (
                  <Button
                    variant="primary"
                    disabled={confirm.pending || preview.status !== "previewed" || (!preview.counts.ok && !endMissing)}
                    onClick={() =>
                      confirm.run(
                        {
                          runId: preview.id,
                          digest: preview.digest!,
                          options: props.kind === "accounts_csv" ? { endMissing } : {},
                        },
                        (done) => upload.settle(done),
                      )
                    }
                  >
                    <FileUp className="size-4" aria-hidden />{" "}
                    {confirm.pending ? "Importing…" : `3. Confirm: import ${n(preview.counts.ok)} rows`}
                  </Button>
                )}
                {confirm.error ? (
                  <p role="alert" className="w-full text-sm text-red-700">
                    {confirm.error}
                  </p>
                ) : null}
              </div>
            </>
          )}
        </div>
      ) : null}
    </Card>
  );
}
