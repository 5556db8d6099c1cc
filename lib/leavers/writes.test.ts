import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * House rule 7: every exported write of the leaver pillar checks the permission on its first line and
 * writes its audit event (itself, or through the service it delegates to) — read from the source. The HR
 * import is a kind of lib/imports, whose services are held to the same rule in lib/imports/services.test.ts.
 */
const DIR = path.join(process.cwd(), "lib", "leavers");
const WRITE_FILES = [
  "open-cases.ts",
  "drift.ts",
  ...readdirSync(path.join(DIR, "commands"))
    .filter((f) => f.endsWith(".ts") && !["index.ts", "load.ts"].includes(f))
    .map((f) => `commands/${f}`),
];
/** Each `export async function x(ctx: Ctx, …)`: its name, and its body up to the next top-level declaration. */
function services(src: string): { name: string; body: string }[] {
  const starts = [...src.matchAll(/^export async function (\w+)\(\s*ctx: Ctx\b/gm)];
  return starts.map((m, i) => {
    const rest = src.slice(m.index, starts[i + 1]?.index ?? src.length);
    const lines = rest.split("\n");
    const open = lines.findIndex((l) => l.endsWith("{"));
    return { name: m[1], body: lines.slice(open + 1).join("\n") };
  });
}

describe("leaver writes", () => {
  const found: { file: string; name: string; body: string }[] = [];
  for (const file of WRITE_FILES) {
    const src = readFileSync(path.join(DIR, file), "utf8");
    for (const svc of services(src)) found.push({ file, ...svc });
  }

  it("finds the services (the scan is not silently empty)", () => {
    expect(found.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "openCases",
        "checkDriftNow",
        "executeTasks",
        "retryTask",
        "verifyTask",
        "confirmManually",
        "waiveTask",
        "handoverNhi",
        "assignCases",
        "closeCase",
      ]),
    );
  });

  it("authorize on the first line of every service", () => {
    for (const f of found)
      expect(f.body.trim().split("\n")[0], `${f.file} ${f.name}`).toMatch(/^authorize\(ctx\.actor, "leavers\.\w+"\);$/);
  });

  it("an audit event (or a delegated audited service) in every write", () => {
    const audited = /writeAudit(Many)?\(|openCases\(|executeTasks\(|checkCaseDrift\(/;
    for (const f of found) expect(audited.test(f.body), `${f.file} ${f.name}`).toBe(true);
  });
});
