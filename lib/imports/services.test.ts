import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * House rule 7 for the pipeline, read from the source: every exported service checks imports.run on its first
 * line (then the run's kind permission, through loadRun or kindOf + authorize); the one that changes data
 * outside the run tables (confirmRun) writes its audit event, and so does every kind's apply.
 */
const DIR = path.join(process.cwd(), "lib", "imports");
const source = (file: string) => readFileSync(file, "utf8");

function services(src: string): { name: string; body: string }[] {
  const starts = [...src.matchAll(/^export async function (\w+)\(\s*ctx: Ctx\b/gm)];
  return starts.map((m, i) => {
    const rest = src.slice(m.index, starts[i + 1]?.index ?? src.length);
    const lines = rest.split("\n");
    // The body starts after the line that closes the signature (parameters may span lines).
    const open = lines.findIndex((l) => /^(\)|export async function).* \{$/.test(l));
    return { name: m[1], body: lines.slice(open + 1).join("\n") };
  });
}

describe("import pipeline services", () => {
  const found = readdirSync(DIR)
    // load.ts holds loadRun, the kind-permission check the services call after their own first line.
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "load.ts")
    .flatMap((file) => services(source(path.join(DIR, file))).map((s) => ({ file, ...s })));

  it("finds them (the scan is not silently empty)", () => {
    expect(found.map((f) => f.name).sort()).toEqual(
      [
        "confirmRun",
        "discardRun",
        "getRun",
        "ingest",
        "listMappings",
        "listRows",
        "notImportedCsvRows",
        "saveMapping",
        "startRun",
      ].sort(),
    );
  });

  it("authorize imports.run on the first line, then the kind's permission", () => {
    for (const f of found) {
      expect(f.body.trim().split("\n")[0], `${f.file} ${f.name}`).toBe('authorize(ctx.actor, "imports.run");');
      expect(f.body, `${f.file} ${f.name}`).toMatch(/loadRun\(|authorize\(ctx\.actor, kind\.permission\)/);
    }
  });

  it("audit the apply: the pipeline's event and each kind's own", () => {
    expect(found.find((f) => f.name === "confirmRun")?.body).toMatch(/writeAudit\(tx, \{\s*action: "import\.apply"/);
    for (const file of ["lib/leavers/import.ts", "lib/api-scopes/openapi/import.ts"]) {
      const src = source(path.join(process.cwd(), file));
      const apply = src.slice(src.indexOf("async apply("));
      expect(apply, file).toMatch(/writeAudit(Many)?\(|openCases\(/);
    }
  });
});
