import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type FactorSource, mappingMarkdown } from "@/lib/factors/vendor-mapping";

/**
 * `npx tsx scripts/generate-factor-mapping-doc.ts`: writes the vendor mapping tables of lib/factors/vendor-mapping.ts
 * into docs/FACTOR-IMPORTS.md between its `<!-- mapping:<source> -->` markers (lib/factors/vendor-mapping.test.ts
 * fails while the two differ).
 */
export const DOC = path.join(process.cwd(), "docs", "FACTOR-IMPORTS.md");

export function withTables(doc: string): string {
  let out = doc;
  for (const source of ["entra", "okta"] as FactorSource[]) {
    const open = `<!-- mapping:${source} -->`;
    const close = `<!-- /mapping:${source} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close);
    if (a < 0 || b < a) throw new Error(`docs/FACTOR-IMPORTS.md lacks the ${open} … ${close} markers.`);
    out = `${out.slice(0, a + open.length)}\n${mappingMarkdown(source)}\n${out.slice(b)}`;
  }
  return out;
}

if (process.argv[1]?.endsWith("generate-factor-mapping-doc.ts")) {
  writeFileSync(DOC, withTables(readFileSync(DOC, "utf8")));
  console.log(`Wrote the mapping tables into ${path.relative(process.cwd(), DOC)}.`);
}
