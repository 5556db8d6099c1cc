import { createReadStream, statSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { z } from "zod";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import type { Actor } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import {
  confirmRun,
  discardRun,
  getRun,
  ingest,
  kindNames,
  kindOf,
  listRows,
  type RunView,
  startRun,
} from "@/lib/imports";
import { formatBytes } from "@/lib/imports/format";
import { runCommand, Usage } from "./run-script";

/**
 * `npm run import -- <kind> <file> [--dry-run] [--yes] [--<param> <value>…]`: the same pipeline as the console
 * (start, stream and check every row, preview, confirm bound to the digest), as a named system actor.
 * Exit 0 when the file was applied (or, with --dry-run, has no errors); 1 when nothing was written and the file
 * has errors, was refused or not confirmed; 2 for a usage mistake. On the embedded database it runs only while
 * the server is stopped (the data folder is locked).
 */
const USAGE = `Usage: npm run import -- <kind> <file> [--dry-run] [--yes] [--<param> <value>…]

  kinds: ${kindNames().join(", ")}
  --dry-run   read and check every row, print the problems, write nothing
  --yes       apply without asking (needed when not run from a terminal)
  Kind parameters and confirm options as flags: --system-id 12 (openapi), --batch-name "Q4 RIF" (hr_leavers,
  hr_people), --remove-missing (openapi), --mapping "Workday" (a saved column mapping or preset of a mapped kind).`;

const n = (v: number) => v.toLocaleString("en-US");
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const shapeOf = (schema: unknown) => (schema instanceof z.ZodObject ? Object.keys(schema.shape) : []);

/** A flag of the kind's params or options that takes no value (`--remove-missing`). */
const isSwitch = (schema: unknown, key: string) => {
  const field = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>)[key] : undefined;
  return Boolean(field?.safeParse(true).success && !field.safeParse("x").success);
};

function parseArgs(argv: string[]) {
  const kind = kindNames().includes(argv[0]) ? kindOf(argv[0]) : null;
  const switches = (key: string) =>
    ["dryRun", "yes", "help"].includes(key) ||
    (kind !== null && (isSwitch(kind.params, key) || isSwitch(kind.options, key)));
  const files: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) files.push(a);
    else if (a.includes("=")) {
      const key = camel(a.slice(2, a.indexOf("=")));
      const value = a.slice(a.indexOf("=") + 1);
      flags[key] = switches(key) ? value !== "false" : value;
    } else if (switches(camel(a.slice(2)))) flags[camel(a.slice(2))] = true;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) flags[camel(a.slice(2))] = argv[++i];
    else throw new Usage(`${a} needs a value.\n\n${USAGE}`);
  }
  return { positional: files, flags };
}

async function main() {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (flags.help || positional.length !== 2) throw new Usage(USAGE);
  const [kindName, file] = positional;
  if (!kindNames().includes(kindName)) throw new Usage(`Unknown kind "${kindName}".\n\n${USAGE}`);
  const kind = kindOf(kindName);
  const { dryRun, yes, ...rest } = flags;
  const params: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (shapeOf(kind.params).includes(k)) params[k] = v;
    else if (shapeOf(kind.options).includes(k)) options[k] = v;
    else
      throw new Usage(
        `Unknown option --${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} for ${kindName}.\n\n${USAGE}`,
      );
  }
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new Usage(`Cannot read ${file}.`);
  }

  const actor: Actor = { kind: "system", id: null, name: `import CLI (${userInfo().username})`, roles: [] };
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const ctx = makeCtx(actor, handle.db);
    const run = await startRun(ctx, { kind: kindName, source: "cli", fileName: path.basename(file), params });
    console.log(
      `Import #${run.id}: ${kind.label} ${file} (${formatBytes(size)}) into ${handle.description}, as ${actor.name}`,
    );
    const tty = process.stdout.isTTY;
    const view = await ingest(ctx, {
      runId: run.id,
      body: createReadStream(file),
      size,
      onProgress: (p) => {
        const line = `  read ${n(p.read)} rows: ${n(p.ok)} ok, ${n(p.error)} with errors, ${n(p.skipped)} skipped`;
        if (tty) process.stdout.write(`\r${line}`);
        else console.log(line);
      },
    });
    if (tty) process.stdout.write("\n");
    if (view.fileErrors.length) {
      for (const e of view.fileErrors)
        console.error(`  file error${e.pointer ? ` at ${e.pointer}` : ""}: ${e.message}`);
      console.error("Nothing was written.");
      process.exitCode = 1;
      return;
    }
    await report(ctx, view);
    if (dryRun) {
      await discardRun(ctx, { runId: view.id });
      console.log(`Dry run: nothing was written (${n(view.counts.ok)} rows would be applied).`);
      process.exitCode = view.counts.error ? 1 : 0;
      return;
    }
    if (!yes && !(await ask(`Apply ${n(view.counts.ok)} rows? [y/N] `))) {
      await discardRun(ctx, { runId: view.id });
      console.error(process.stdin.isTTY ? "Not applied." : "Not applied: pass --yes to apply without a prompt.");
      process.exitCode = 1;
      return;
    }
    const applied = await confirmRun(ctx, { runId: view.id, digest: view.digest!, options }).catch(async (err) => {
      // A refused confirm leaves a preview nobody will confirm: throw it away (a failed apply stays, as a record).
      if ((await getRun(ctx, { runId: view.id })).status === "previewed") await discardRun(ctx, { runId: view.id });
      throw err;
    });
    const result = applied.summary.result as Record<string, unknown> | undefined;
    console.log(
      `Applied import #${applied.id}: ${n(applied.counts.applied)} written` +
        (result && Object.keys(result).length
          ? ` (${Object.entries(result)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")})`
          : "") +
        ".",
    );
  } finally {
    await handle.close();
  }
}

/** The counts, and every problem with its line (or JSON pointer) — the first 200 of them. */
async function report(ctx: ReturnType<typeof makeCtx>, view: RunView) {
  const codes = Object.entries(view.codes).map(([code, count]) => `${code} ${n(count)}`);
  console.log(
    `${n(view.counts.read)} rows: ${n(view.counts.ok)} ok, ${n(view.counts.error)} with errors, ${n(view.counts.skipped)} skipped${codes.length ? ` (${codes.join(", ")})` : ""}.`,
  );
  if (!view.counts.error) return;
  const { rows } = await listRows(ctx, { runId: view.id, filter: "error", after: 0, limit: 200 });
  for (const r of rows) console.error(`  ${r.line !== null ? `line ${r.line}` : (r.pointer ?? "?")}: ${r.message}`);
  if (view.counts.error > rows.length) console.error(`  … and ${n(view.counts.error - rows.length)} more errors.`);
}

async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

runCommand(
  main,
  "Imports into the embedded database run while the server is stopped; with it running, use the console's import pages.",
  { text: "Nothing was written.", unless: /nothing was/i },
);
