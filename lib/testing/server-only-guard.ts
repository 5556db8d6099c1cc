import path from "node:path";
import ts from "typescript";
import type { Source } from "./service-guard";

/**
 * Reads lib/ with the TypeScript compiler (not a regex): a module that reaches the database must start with
 * `import "server-only"`, so that a client component importing it — directly or through another module — fails
 * the Next.js build instead of shipping database code (and its secrets) to the browser.
 *
 * "Reaches the database" means a value import (not `import type`) of `@/db/client` or `@/db/schema…` — static,
 * re-exported or dynamic, through the alias or a relative path — or reading `.db` off a `ctx` / `tx` context.
 * `@/db/schema/enums` alone does not count: enum value lists are vocabulary (zod schemas and labels that forms in
 * the browser use too), not tables.
 */
export type DatabaseModule = { file: string; reasons: string[]; serverOnly: boolean };

const DB_MODULE = /^db\/(client|schema)(\/|\.ts$|$)/;
const VOCABULARY = /^db\/schema\/enums(\.ts)?$/;

export function databaseModules(sources: readonly Source[]): DatabaseModule[] {
  const out: DatabaseModule[] = [];
  for (const s of sources) {
    const file = ts.createSourceFile(s.path, s.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const reasons = new Set<string>();
    const visit = (node: ts.Node): void => {
      const spec = databaseImport(node, s.path);
      if (spec) reasons.add(`imports ${spec}`);
      if (
        ts.isPropertyAccessExpression(node) &&
        node.name.text === "db" &&
        ts.isIdentifier(node.expression) &&
        (node.expression.text === "ctx" || node.expression.text === "tx")
      )
        reasons.add(`reads ${node.expression.text}.db`);
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (reasons.size) out.push({ file: s.path, reasons: [...reasons].sort(), serverOnly: startsWithServerOnly(file) });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** One line per database module whose first statement is not `import "server-only"`. */
export function checkServerOnly(sources: readonly Source[]): string[] {
  return databaseModules(sources)
    .filter((m) => !m.serverOnly)
    .map((m) => `${m.file}: ${m.reasons.join(", ")} but does not start with import "server-only"`);
}

function startsWithServerOnly(file: ts.SourceFile): boolean {
  const first = file.statements[0];
  return (
    first !== undefined &&
    ts.isImportDeclaration(first) &&
    first.importClause === undefined &&
    ts.isStringLiteral(first.moduleSpecifier) &&
    first.moduleSpecifier.text === "server-only"
  );
}

/** The database module a node imports at run time, if any (type-only imports and exports erase at build). */
function databaseImport(node: ts.Node, from: string): string | null {
  let spec: ts.Expression | undefined;
  if (ts.isImportDeclaration(node)) {
    if (!importsValues(node.importClause)) return null;
    spec = node.moduleSpecifier;
  } else if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly || !node.moduleSpecifier) return null;
    if (
      node.exportClause &&
      ts.isNamedExports(node.exportClause) &&
      node.exportClause.elements.every((e) => e.isTypeOnly)
    )
      return null;
    spec = node.moduleSpecifier;
  } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    spec = node.arguments[0];
  }
  if (!spec || !ts.isStringLiteralLike(spec)) return null;
  const target = normalise(spec.text, from);
  return DB_MODULE.test(target) && !VOCABULARY.test(target) ? spec.text : null;
}

/** `import "x"` (side effects), a default or namespace import, or at least one named import without `type`. */
function importsValues(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return true;
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
}

/** A specifier as a path from the repository root: `@/db/client` and `../../db/client` both give `db/client`. */
function normalise(spec: string, from: string): string {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (spec.startsWith(".")) return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return spec;
}
