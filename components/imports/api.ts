import type { RunView, StoredRow } from "@/lib/imports";

/** The browser's side of the import API (app/api/imports): typed failures carry the server's own message. */
async function json<T>(res: Response): Promise<T> {
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.message ?? `The import service answered ${res.status}.`);
  return body as T;
}

export const startImport = (kind: string, fileName: string, params?: unknown) =>
  fetch("/api/imports", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind, fileName, params }),
  }).then((r) => json<RunView>(r));

/** Sends the file as the raw body: the server reads it as it arrives (no 1 MB server-action limit). */
export const uploadFile = (runId: number, file: Blob) =>
  fetch(`/api/imports/${runId}`, {
    method: "PUT",
    body: file,
    headers: { "content-type": "application/octet-stream" },
  }).then((r) => json<RunView>(r));

export const fetchRun = (runId: number) =>
  fetch(`/api/imports/${runId}`, { cache: "no-store" }).then((r) => json<RunView>(r));

export type RowFilter = "all" | "ok" | "error" | "skipped" | "not_ok";
export type RowPage = { rows: StoredRow[]; next: number | null };

export const fetchRows = (runId: number, filter: RowFilter, after = 0, limit = 200) =>
  fetch(`/api/imports/${runId}/rows?filter=${filter}&after=${after}&limit=${limit}`, { cache: "no-store" }).then((r) =>
    json<RowPage>(r),
  );

/** Every row of one filter (documents are bounded by their kind's size limit). */
export async function fetchAllRows(runId: number, filter: RowFilter): Promise<StoredRow[]> {
  const out: StoredRow[] = [];
  let after = 0;
  for (;;) {
    const page = await fetchRows(runId, filter, after, 1000);
    out.push(...page.rows);
    if (page.next === null) return out;
    after = page.next;
  }
}
