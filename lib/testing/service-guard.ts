import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * Reads lib/ with the TypeScript compiler (not a regex) and checks the house rules for services — exported
 * functions whose first parameter is a `Ctx`:
 *   1. the permission check is the first statement: `authorize(ctx.actor, "<permission>")`;
 *   2. a service that changes data writes an audit event — itself, or through what it calls (followed across
 *      files by its imports) — and a direct `writeAudit` call sits inside its `transact(…)` callback;
 *   3. an exported helper that takes a Ctx and changes data without authorizing lives in a file named
 *      `internal.ts` or `<name>.internal.ts` (its callers authorize).
 * "Changes data" means: an INSERT/UPDATE/DELETE in a sql template, a Drizzle insert/update/delete, or a call to
 * something that does, again followed across files.
 */
export type Source = { path: string; text: string };
export type Service = { key: string; file: string; name: string; permission: string | null; writes: boolean };
export type GuardResult = { services: Service[]; problems: string[] };

type Fn = {
  key: string;
  file: string;
  name: string;
  exported: boolean;
  node: ts.FunctionLikeDeclaration;
  firstParam: { name: string; type: string } | null;
  calls: ts.CallExpression[];
  mutatesDirectly: boolean;
};
type Module = {
  file: string;
  fns: Map<string, Fn>;
  imports: Map<string, { from: string; name: string }>;
  reexports: { from: string; names: Map<string, string> | "*" }[];
};

const AUDIT = new Set(["writeAudit", "writeAuditMany"]);
/** The audit writer is the mechanism every write calls, not a service: it needs no permission of its own. */
const EXEMPT = new Set(["lib/audit/write.ts"]);
/**
 * INSERT, DELETE and UPDATE statements with the table they write — not `FOR UPDATE` row locks nor
 * `ON CONFLICT … DO UPDATE` clauses.
 */
const MUTATING_SQL =
  /\b(?:INSERT\s+INTO|DELETE\s+FROM)\s+"?([a-z_]+)|(?<!\b(?:FOR|DO)\s+)\bUPDATE\s+(?!OF\b|SET\b|NOWAIT\b|SKIP\b)"?([a-z_]+)/gi;
/**
 * An import run and its parsed rows are the pipeline's working copy of a file (lib/imports): reading, previewing
 * and discarding one writes only these, and nothing has changed until a confirm applies it — which is audited.
 * Likewise a WebAuthn challenge (lib/auth) is one ceremony's single-use state: issuing or using one up changes
 * nothing until the ceremony completes (a passkey enrolled, a step-up), which is audited.
 * Writes to them alone are not changes; any other write in the same function still is.
 */
const WORKING_TABLES = new Set([
  "import_runs",
  "import_rows",
  "importRuns",
  "importRows",
  "webauthn_challenges",
  "webauthnChallenges",
]);
const mutatingSql = (text: string) => [...text.matchAll(MUTATING_SQL)].some((m) => !WORKING_TABLES.has(m[1] ?? m[2]));

export function libSources(root: string): Source[] {
  const dir = path.join(root, "lib");
  const files = (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("testing/"));
  return files.map((f) => ({ path: `lib/${f}`, text: readFileSync(path.join(dir, f), "utf8") }));
}

export function checkServices(sources: readonly Source[]): GuardResult {
  const modules = new Map<string, Module>();
  for (const s of sources) modules.set(s.path, parse(s));
  const resolve = makeResolver(modules);
  const fns = [...modules.values()].flatMap((m) => [...m.fns.values()]);

  // Facts, propagated through calls until nothing changes.
  const audits = new Set<string>();
  const mutates = new Set<string>();
  for (const fn of fns) {
    if (fn.calls.some((c) => AUDIT.has(calleeName(c) ?? ""))) audits.add(fn.key);
    if (fn.mutatesDirectly) mutates.add(fn.key);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of fns) {
      for (const c of fn.calls) {
        const target = resolve(fn.file, c);
        if (!target) continue;
        if (audits.has(target.key) && !audits.has(fn.key)) {
          audits.add(fn.key);
          changed = true;
        }
        if (mutates.has(target.key) && !mutates.has(fn.key)) {
          mutates.add(fn.key);
          changed = true;
        }
      }
    }
  }

  const services: Service[] = [];
  const problems: string[] = [];
  for (const fn of fns) {
    if (!fn.exported || fn.firstParam?.type !== "Ctx" || EXEMPT.has(fn.file)) continue;
    const where = `${fn.file} ${fn.name}`;
    const permission = firstAuthorize(fn);
    const writes = mutates.has(fn.key);
    const internal = /(^|\.)internal\.ts$/.test(path.posix.basename(fn.file));
    if (permission === null) {
      if (writes && !internal) {
        problems.push(`${where}: changes data without authorize(...) on its first line (or move it to an internal.ts)`);
      }
      continue;
    }
    services.push({ key: fn.key, file: fn.file, name: fn.name, permission, writes });
    if (writes && !audits.has(fn.key)) problems.push(`${where}: changes data but writes no audit event`);
    if (callsTransact(fn)) {
      for (const c of fn.calls.filter((x) => AUDIT.has(calleeName(x) ?? ""))) {
        if (!insideTransact(c)) problems.push(`${where}: writes its audit event outside its transact(...) callback`);
      }
    }
  }
  return { services: services.sort((a, b) => a.key.localeCompare(b.key)), problems };
}

function parse(s: Source): Module {
  const sf = ts.createSourceFile(s.path, s.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const m: Module = { file: s.path, fns: new Map(), imports: new Map(), reexports: [] };
  const add = (name: string, node: ts.FunctionLikeDeclaration, exported: boolean) => {
    const calls: ts.CallExpression[] = [];
    let mutatesDirectly = false;
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        calls.push(n);
        if (isDrizzleWrite(n)) mutatesDirectly = true;
      }
      if ((ts.isTaggedTemplateExpression(n) && n.tag.getText(sf) === "sql") || ts.isNoSubstitutionTemplateLiteral(n)) {
        if (mutatingSql(n.getText(sf))) mutatesDirectly = true;
      }
      ts.forEachChild(n, visit);
    };
    if (node.body) visit(node.body);
    const p = node.parameters[0];
    const firstParam = p && ts.isIdentifier(p.name) ? { name: p.name.text, type: p.type?.getText(sf) ?? "" } : null;
    m.fns.set(name, {
      key: `${s.path}#${name}`,
      file: s.path,
      name,
      exported,
      node,
      firstParam,
      calls,
      mutatesDirectly,
    });
  };
  for (const st of sf.statements) {
    const exported =
      ts.getModifiers(st as ts.HasModifiers)?.some((x) => x.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    if (ts.isFunctionDeclaration(st) && st.name) add(st.name.text, st, exported);
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          add(d.name.text, init, exported);
        }
      }
    } else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const from = st.moduleSpecifier.text;
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) m.imports.set(el.name.text, { from, name: (el.propertyName ?? el.name).text });
      }
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const from = st.moduleSpecifier.text;
      if (!st.exportClause) m.reexports.push({ from, names: "*" });
      else if (ts.isNamedExports(st.exportClause)) {
        const names = new Map<string, string>();
        for (const el of st.exportClause.elements) names.set(el.name.text, (el.propertyName ?? el.name).text);
        m.reexports.push({ from, names });
      }
    }
  }
  return m;
}

/** `tx.db.insert(…)`, `ctx.db.update(…)`, `db.delete(…)`: a Drizzle write on a database handle. */
function isDrizzleWrite(c: ts.CallExpression): boolean {
  const e = c.expression;
  if (!ts.isPropertyAccessExpression(e) || !["insert", "update", "delete"].includes(e.name.text)) return false;
  const target = e.expression.getText();
  const table = c.arguments[0]?.getText();
  return /(^|\.)(db|tx)$/.test(target) && !(table && WORKING_TABLES.has(table));
}

function calleeName(c: ts.CallExpression): string | null {
  return ts.isIdentifier(c.expression) ? c.expression.text : null;
}

function makeResolver(modules: Map<string, Module>) {
  const fileOf = (from: string, spec: string): string | null => {
    const base = spec.startsWith("@/")
      ? spec.slice(2)
      : spec.startsWith(".")
        ? path.posix.normalize(path.posix.join(path.posix.dirname(from), spec))
        : null;
    if (!base) return null;
    for (const cand of [`${base}.ts`, `${base}/index.ts`]) if (modules.has(cand)) return cand;
    return null;
  };
  const lookup = (file: string, name: string, depth = 0): Fn | null => {
    const m = modules.get(file);
    if (!m || depth > 10) return null;
    const local = m.fns.get(name);
    if (local) return local;
    const imported = m.imports.get(name);
    if (imported) {
      const target = fileOf(file, imported.from);
      return target ? lookup(target, imported.name, depth + 1) : null;
    }
    for (const r of m.reexports) {
      const target = fileOf(file, r.from);
      if (!target) continue;
      if (r.names === "*") {
        const found = lookup(target, name, depth + 1);
        if (found) return found;
      } else if (r.names.has(name)) return lookup(target, r.names.get(name)!, depth + 1);
    }
    return null;
  };
  return (file: string, call: ts.CallExpression): Fn | null => {
    const name = calleeName(call);
    return name ? lookup(file, name) : null;
  };
}

/** The permission named by `authorize(ctx.actor, "…")` as the first statement, or null. */
function firstAuthorize(fn: Fn): string | null {
  const body = fn.node.body;
  if (!body || !ts.isBlock(body)) return null;
  const first = body.statements[0];
  if (!first || !ts.isExpressionStatement(first) || !ts.isCallExpression(first.expression)) return null;
  const call = first.expression;
  if (calleeName(call) !== "authorize") return null;
  const [actor, permission] = call.arguments;
  if (!actor || actor.getText() !== `${fn.firstParam?.name}.actor`) return null;
  return permission && ts.isStringLiteral(permission) ? permission.text : null;
}

function callsTransact(fn: Fn): boolean {
  return fn.calls.some((c) => calleeName(c) === "transact");
}

function insideTransact(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(n.parent)) {
      if (calleeName(n.parent) === "transact") return true;
    }
  }
  return false;
}

/** Whether a repo path exists (for tests that point the guard at the real tree). */
export const repoHas = (root: string, rel: string) => existsSync(path.join(root, rel));
