import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";
import type { Permission } from "@/lib/authz/permissions";

/**
 * The abuse suite's helpers (e2e/abuse.spec.ts). The build's manifests say which endpoints exist; the sources
 * are read only for what a manifest cannot say (an export's permission) and to prove the manifests hide nothing.
 */
const ROOT = path.resolve(__dirname, "..", "..");

function endpointFiles(basename: string): string[] {
  return (readdirSync(path.join(ROOT, "app"), { recursive: true }) as string[])
    .filter((f) => path.basename(f) === basename)
    .map((f) => path.posix.join("app", f.split(path.sep).join("/")))
    .sort();
}

export const ENDPOINT_FILES = { actions: endpointFiles("actions.ts"), routes: endpointFiles("route.ts") };

const EXPORT = /^export (?:const|async function|function) (\w+)|^export const \{([^}]+)\}/gm;

/** An endpoint file's exported names, and whether it serves machine clients (SCIM) rather than console sessions. */
export function exportsOf(file: string): { exports: string[]; machine: boolean } {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  const exports = [...source.matchAll(EXPORT)].flatMap((m) => (m[1] ? [m[1]] : m[2].split(",").map((s) => s.trim())));
  return { exports, machine: file.startsWith("app/scim/") || /actors:\s*"machine"/.test(source) };
}

/** The permission `defineAction({ … permission })` / `defineRoute({ … permission })` declares for an export. */
export function permissionOf(file: string, name: string): Permission | null {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  const start = source.search(new RegExp(`^export const ${name} = define(?:Action|Route)\\(\\{`, "m"));
  if (start < 0) return null;
  const next = source.indexOf("\nexport ", start + 1);
  const body = source.slice(start, next < 0 ? undefined : next);
  return (/permission:\s*"([\w.]+)"/.exec(body)?.[1] as Permission | undefined) ?? null;
}

/** Collects every problem of a sweep so one run reports them all, then fails once. */
export function findings() {
  const list: string[] = [];
  return {
    add: (problem: string) => list.push(problem),
    expectNone: (what: string) => expect([...list].sort(), `${what}: ${list.length} problems`).toEqual([]),
  };
}

/** Runs the calls with at most `limit` in flight (2 cores: a flood would time out instead of testing anything). */
export async function pool(calls: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < calls.length) await calls[next++]();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
