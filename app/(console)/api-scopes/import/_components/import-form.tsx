"use client";

import { useQuery } from "@tanstack/react-query";
import { FileUp } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { fetchAllRows } from "@/components/imports/api";
import { ImportProgress } from "@/components/imports/import-progress";
import { useImportUpload } from "@/components/imports/use-import-upload";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { OpenApiResult, OpenApiSummary } from "@/lib/api-scopes/openapi/import";
import type { RunView, StoredRow } from "@/lib/imports";
import { confirmImportAction, discardImportAction } from "../../../imports/actions";
import { PreviewTable } from "./preview-table";

const field =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

type Problem = { pointer: string; message: string };

/** Choose a system and a document, preview the changes (or the problems), then import exactly what was previewed. */
export function ImportForm({
  systems,
  preselect,
  maxBytes,
}: {
  systems: { id: number; name: string; endpoints: number }[];
  preselect?: number;
  maxBytes: number;
}) {
  const [systemId, setSystemId] = useState<number | "">(preselect ?? "");
  const [document, setDocument] = useState("");
  const [fileName, setFileName] = useState<string | undefined>();
  const [removeMissing, setRemoveMissing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const upload = useImportUpload({ kind: "openapi", maxBytes, discard: (runId) => discardImportAction({ runId }) });
  const importer = useAction(confirmImportAction);
  const changed = () => {
    upload.reset();
    setDone(null);
    importer.reset();
  };
  const canPreview = systemId !== "" && document.trim().length > 0;
  const run = upload.run;
  const preview = run && (run.status === "previewed" || run.status === "applied") ? run : null;
  const reading = upload.uploading || run?.status === "parsing";

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader title="1. System and document" />
        <form
          className="flex flex-col gap-3 px-4 py-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!canPreview) return;
            setDone(null);
            importer.reset();
            void upload.upload(new Blob([document], { type: "text/plain" }), fileName ?? "pasted document", {
              systemId: Number(systemId),
            });
          }}
        >
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
            System
            <select
              className={field}
              value={systemId}
              onChange={(e) => {
                setSystemId(e.target.value ? Number(e.target.value) : "");
                changed();
              }}
              required
            >
              <option value="">Choose the system this API belongs to…</option>
              {systems.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                  {s.endpoints ? ` (${s.endpoints} endpoints recorded)` : ""}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
            OpenAPI file (.json, .yaml, .yml)
            <span className="flex items-center gap-2">
              <FileUp className="size-4 text-slate-400" aria-hidden />
              <input
                type="file"
                accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
                className="text-sm"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  setFileName(file.name);
                  setDocument(await file.text());
                  changed();
                }}
              />
            </span>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
            …or paste it
            <textarea
              className={`${field} font-mono text-xs`}
              rows={10}
              value={document}
              onChange={(e) => {
                setDocument(e.target.value);
                setFileName(undefined);
                changed();
              }}
              placeholder={"openapi: 3.0.3\ninfo: { title: Customer Lookup API, version: '2.1' }\npaths: …"}
            />
          </label>
          {upload.error ? (
            <p role="alert" className="text-sm text-red-700">
              {upload.error}
            </p>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" variant="primary" disabled={!canPreview || reading}>
              {reading ? "Reading…" : "Preview changes"}
            </Button>
            {reading ? <ImportProgress run={run} size={new Blob([document]).size} noun="document" /> : null}
          </div>
        </form>
      </Card>

      {preview ? (
        <Review
          key={preview.id}
          run={preview}
          removeMissing={removeMissing}
          setRemoveMissing={setRemoveMissing}
          importing={importer.pending}
          error={importer.error}
          done={done}
          systemId={Number(systemId)}
          onImport={() =>
            importer.run({ runId: preview.id, digest: preview.digest!, options: { removeMissing } }, (r) => {
              upload.settle(r);
              const x = r.summary.result as OpenApiResult;
              setDone(
                `Imported into ${x.system}: ${x.added} added, ${x.changed} updated, ${x.removed} removed, ${x.unchanged} unchanged.`,
              );
            })
          }
        />
      ) : null}
    </div>
  );
}

function Review(props: {
  run: RunView;
  removeMissing: boolean;
  setRemoveMissing: (v: boolean) => void;
  importing: boolean;
  error: string | null;
  done: string | null;
  systemId: number;
  onImport: () => void;
}) {
  const { run } = props;
  const summary = run.summary as Partial<OpenApiSummary>;
  const broken = run.fileErrors.length > 0 || run.counts.error > 0;
  // The run's rows never change after the preview: read them once.
  const rows = useQuery({
    queryKey: ["import-rows-all", run.id],
    queryFn: () => fetchAllRows(run.id, "all"),
    enabled: run.fileErrors.length === 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (run.fileErrors.length === 0 && !rows.data)
    return rows.error ? (
      <p role="alert" className="text-sm text-red-700">
        {(rows.error as Error).message}
      </p>
    ) : (
      <p className="text-sm text-slate-500">Loading the preview…</p>
    );
  const all: StoredRow[] = rows.data ?? [];

  if (broken) {
    const problems: Problem[] = [
      ...run.fileErrors.map((e) => ({ pointer: e.pointer ?? "#", message: e.message })),
      ...all.filter((r) => r.status === "error").map((r) => ({ pointer: r.pointer ?? "#", message: r.message ?? "" })),
    ];
    return (
      <Card>
        <CardHeader
          title={
            <span className="text-red-800">
              The document could not be read ({problems.length} problem{problems.length === 1 ? "" : "s"})
            </span>
          }
          description="Nothing was imported. Fix these and preview again."
        />
        <ul
          className="divide-y divide-slate-100 text-sm"
          aria-label="Problems in the document"
          data-testid="import-errors"
        >
          {problems.map((e) => (
            <li key={`${e.pointer} ${e.message}`} className="flex flex-col gap-0.5 px-4 py-2 md:flex-row md:gap-3">
              <code className="shrink-0 text-xs text-red-800 md:w-80 md:truncate" title={e.pointer}>
                {e.pointer}
              </code>
              <span className="text-slate-800">{e.message}</span>
            </li>
          ))}
        </ul>
      </Card>
    );
  }

  const changes = all.filter((r) => r.status === "ok");
  const warnings = all.filter((r) => r.message && r.status !== "error");
  const missing = summary.missing ?? [];
  const added = run.codes.new ?? 0;
  const changed = run.codes.changed ?? 0;
  const nothing = changes.length + (props.removeMissing ? missing.length : 0) === 0;
  return (
    <Card>
      <CardHeader
        title={`2. Review: ${summary.title ?? "untitled API"}${summary.version ? ` v${summary.version}` : ""} → ${summary.system}`}
        description={`${added} new, ${changed} changed, ${run.codes.unchanged ?? 0} unchanged, ${missing.length} recorded but not in the document.`}
      />
      <PreviewTable rows={changes} />
      {warnings.length ? (
        <details className="border-t border-slate-200 px-4 py-2 text-xs text-amber-900">
          <summary className="cursor-pointer font-medium">
            {warnings.length} warning{warnings.length === 1 ? "" : "s"}
          </summary>
          <ul className="mt-1 space-y-0.5">
            {warnings.map((w) => (
              <li key={w.seq}>
                <code>{w.pointer}</code> {w.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-4 py-3">
        {missing.length ? (
          <label className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={props.removeMissing}
              onChange={(e) => props.setRemoveMissing(e.target.checked)}
            />
            Also remove the {missing.length} endpoint{missing.length === 1 ? "" : "s"} not in this document
          </label>
        ) : null}
        <Button
          variant="primary"
          disabled={props.importing || Boolean(props.done) || run.status !== "previewed" || nothing}
          onClick={props.onImport}
        >
          {props.importing ? "Importing…" : "Import"}
        </Button>
        {props.error ? (
          <p role="alert" className="text-sm text-red-700">
            {props.error}
          </p>
        ) : null}
        {props.done ? (
          <p role="status" className="flex items-center gap-2 text-sm text-emerald-800">
            <Badge tone="success">Done</Badge> {props.done}{" "}
            <Link className="text-indigo-700 hover:underline" href={`/api-scopes/endpoints?system=${props.systemId}`}>
              See the endpoints
            </Link>
          </p>
        ) : null}
      </div>
    </Card>
  );
}
