"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RunView } from "@/lib/imports";
import { formatBytes } from "@/lib/imports/format";
import { fetchRun, startImport, uploadFile } from "./api";

const BUSY = new Set(["parsing", "applying"]);

/**
 * Starts a run of `kind`, streams the file to it and polls its progress (TanStack Query, every 500 ms while
 * the server reads) until the preview is ready. Choosing another file throws the previous preview away
 * through `discard` (the page passes the discard action).
 */
export function useImportUpload(opts: { kind: string; maxBytes: number; discard: (runId: number) => unknown }) {
  const { kind, maxBytes } = opts;
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<number | null>(null);
  const [size, setSize] = useState(0);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ["import-run", runId],
    queryFn: () => fetchRun(runId!),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && BUSY.has(q.state.data.status) ? 500 : false),
  });

  function reset() {
    const previous = query.data;
    if (previous?.status === "previewed") void opts.discard(previous.id);
    setRunId(null);
    setError(null);
  }

  async function upload(file: Blob, fileName: string, params?: unknown) {
    reset();
    if (file.size > maxBytes) return setError(`The file is larger than ${formatBytes(maxBytes)}.`);
    setSize(file.size);
    setUploading(true);
    try {
      const run = await startImport(kind, fileName, params);
      queryClient.setQueryData(["import-run", run.id], run);
      setRunId(run.id);
      const done = await uploadFile(run.id, file);
      queryClient.setQueryData(["import-run", run.id], done);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setUploading(false);
    }
  }

  /** After confirm: the run as the server returned it. */
  const settle = (run: RunView) => queryClient.setQueryData(["import-run", run.id], run);

  const run = runId === null ? null : (query.data ?? null);
  return { run, size, uploading, error: error ?? (run?.status === "failed" ? run.error : null), upload, reset, settle };
}
