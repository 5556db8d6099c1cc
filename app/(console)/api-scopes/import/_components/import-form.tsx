"use client";

import { FileUp } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useAction } from "@/components/ui/use-action";
import type { ImportPreview } from "@/lib/api-scopes/openapi/import";
import { confirmImportAction, previewImportAction } from "../../actions";
import { PreviewTable } from "./preview-table";

const field =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

/** Choose a system and a document, preview the changes (or the problems), then import exactly what was previewed. */
export function ImportForm({
  systems,
  preselect,
}: {
  systems: { id: number; name: string; endpoints: number }[];
  preselect?: number;
}) {
  const [systemId, setSystemId] = useState<number | "">(preselect ?? "");
  const [document, setDocument] = useState("");
  const [fileName, setFileName] = useState<string | undefined>();
  const [removeMissing, setRemoveMissing] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const previewer = useAction(previewImportAction, { refresh: false });
  const importer = useAction(confirmImportAction);
  // Any change to the inputs invalidates the preview (and its digest) and the last import's outcome.
  const changed = () => {
    setPreview(null);
    setDone(null);
    importer.reset();
  };
  const canPreview = systemId !== "" && document.trim().length > 0;

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader title="1. System and document" />
        <form
          className="flex flex-col gap-3 px-4 py-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (canPreview) previewer.run({ systemId: Number(systemId), document, fileName }, setPreview);
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
          {previewer.error ? (
            <p role="alert" className="text-sm text-red-700">
              {previewer.error}
            </p>
          ) : null}
          <div>
            <Button type="submit" variant="primary" disabled={!canPreview || previewer.pending}>
              {previewer.pending ? "Reading…" : "Preview changes"}
            </Button>
          </div>
        </form>
      </Card>

      {preview && !preview.ok ? (
        <Card>
          <CardHeader
            title={
              <span className="text-red-800">
                The document could not be read ({preview.errors.length} problem{preview.errors.length === 1 ? "" : "s"})
              </span>
            }
            description="Nothing was imported. Fix these and preview again."
          />
          <ul
            className="divide-y divide-slate-100 text-sm"
            aria-label="Problems in the document"
            data-testid="import-errors"
          >
            {preview.errors.map((e) => (
              <li key={`${e.pointer} ${e.message}`} className="flex flex-col gap-0.5 px-4 py-2 md:flex-row md:gap-3">
                <code className="shrink-0 text-xs text-red-800 md:w-80 md:truncate" title={e.pointer}>
                  {e.pointer}
                </code>
                <span className="text-slate-800">{e.message}</span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      {preview?.ok ? (
        <Card>
          <CardHeader
            title={`2. Review: ${preview.title ?? "untitled API"}${preview.version ? ` v${preview.version}` : ""} → ${preview.system}`}
            description={`${preview.added.length} new, ${preview.changed.length} changed, ${preview.unchanged} unchanged, ${preview.missing.length} recorded but not in the document.`}
          />
          <PreviewTable preview={preview} />
          {preview.warnings.length ? (
            <details className="border-t border-slate-200 px-4 py-2 text-xs text-amber-900">
              <summary className="cursor-pointer font-medium">
                {preview.warnings.length} warning{preview.warnings.length === 1 ? "" : "s"}
              </summary>
              <ul className="mt-1 space-y-0.5">
                {preview.warnings.map((w) => (
                  <li key={`${w.pointer} ${w.message}`}>
                    <code>{w.pointer}</code> {w.message}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-4 py-3">
            {preview.missing.length ? (
              <label className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={removeMissing} onChange={(e) => setRemoveMissing(e.target.checked)} />
                Also remove the {preview.missing.length} endpoint{preview.missing.length === 1 ? "" : "s"} not in this
                document
              </label>
            ) : null}
            <Button
              variant="primary"
              disabled={
                importer.pending ||
                Boolean(done) ||
                preview.added.length + preview.changed.length + (removeMissing ? preview.missing.length : 0) === 0
              }
              onClick={() =>
                importer.run(
                  { systemId: Number(systemId), document, fileName, digest: preview.digest, removeMissing },
                  (r) =>
                    setDone(
                      `Imported into ${r.system}: ${r.added} added, ${r.changed} updated, ${r.removed} removed, ${r.unchanged} unchanged.`,
                    ),
                )
              }
            >
              {importer.pending ? "Importing…" : "Import"}
            </Button>
            {importer.error ? (
              <p role="alert" className="text-sm text-red-700">
                {importer.error}
              </p>
            ) : null}
            {done ? (
              <p role="status" className="flex items-center gap-2 text-sm text-emerald-800">
                <Badge tone="success">Done</Badge> {done}{" "}
                <Link className="text-indigo-700 hover:underline" href={`/api-scopes/endpoints?system=${systemId}`}>
                  See the endpoints
                </Link>
              </p>
            ) : null}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
