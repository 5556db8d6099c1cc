import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * Reads the code with the TypeScript compiler (not a regex) and checks the house rules for raw SQL:
 *   1. `queryRows(db, sql, schema)` always gets its row schema: the two drivers disagree on int8, numeric,
 *      timestamps and jsonb, and rows taken unparsed hide that until production;
 *   2. the result of `db.execute(…)` (or its `.rows`) is never cast with `as`, nor typed with `execute<T>` —
 *      the same unchecked trust by another road;
 *   3. no Postgres array literal is built by hand inside SQL (`${`{${ids.join(",")}}`}::int[]`): the elements
 *      are not escaped, and the helpers of db/sql.ts bind the array as one parameter instead — they are the one
 *      way arrays are bound, so `sql.param(…)` itself appears nowhere else.
 */
export type Source = { path: string; text: string };

/** Every non-test source the app, scripts, benchmarks and test set-up run. The seed and migrations are exempt. */
export function checkedSources(root: string): Source[] {
  const out: Source[] = [];
  for (const top of ["lib", "db", "app", "scripts", "bench", "e2e/support"]) {
    const dir = path.join(root, top);
    for (const f of readdirSync(dir, { recursive: true }) as string[]) {
      const rel = `${top}/${f.split(path.sep).join("/")}`;
      if (!/\.tsx?$/.test(rel) || /\.(test|spec)\.tsx?$/.test(rel) || rel.endsWith(".d.ts")) continue;
      if (rel.startsWith("db/seed/") || rel.startsWith("db/migrations/")) continue;
      out.push({ path: rel, text: readFileSync(path.join(root, rel), "utf8") });
    }
  }
  return out;
}

export function checkSql(sources: readonly Source[]): string[] {
  return sources.flatMap(problemsIn);
}

function problemsIn(s: Source): string[] {
  const kind = s.path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(s.path, s.text, ts.ScriptTarget.ES2022, true, kind);
  const problems: string[] = [];
  const report = (n: ts.Node, what: string) => {
    const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    problems.push(`${s.path}:${line}: ${what}`);
  };
  let insideSql = 0;
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n)) {
      const callee = calleeName(n);
      if (callee === "queryRows" && n.arguments.length < 3) report(n, "queryRows without a row schema");
      if (callee === "execute" && n.typeArguments?.length) report(n, "execute<T>(…) types rows it never checks");
      if (n.expression.getText(sf) === "sql.param" && s.path !== "db/sql.ts") {
        report(n, "sql.param outside db/sql.ts (bind arrays with intArray, bigintArray, textArray, enumArray)");
      }
    }
    if ((ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) && castsRows(n.expression)) {
      report(n, "rows of db.execute(…) cast with `as` (use queryRows with a schema)");
    }
    const outermostSql = (isSqlTemplate(n) || isSqlRaw(n)) && insideSql === 0;
    if (outermostSql) {
      // Nested sql templates are searched as part of this one.
      for (const literal of handBuiltArrays(n)) report(literal, "Postgres array literal built by hand (use db/sql.ts)");
    }
    if (isSqlTemplate(n) || isSqlRaw(n)) insideSql++;
    ts.forEachChild(n, visit);
    if (isSqlTemplate(n) || isSqlRaw(n)) insideSql--;
  };
  visit(sf);
  return problems;
}

/** The called name: `queryRows` in `queryRows(…)`, `execute` in `tx.db.execute(…)`. */
function calleeName(c: ts.CallExpression): string | null {
  const e = c.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return null;
}

/** `(await db.execute(q))`, `(await db.execute(q)).rows`, `res.rows`, through parentheses and `await`. */
function castsRows(e: ts.Expression): boolean {
  let x: ts.Expression = e;
  for (;;) {
    if (ts.isParenthesizedExpression(x) || ts.isAwaitExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
    else if (ts.isElementAccessExpression(x)) x = x.expression;
    else if (ts.isPropertyAccessExpression(x) && x.name.text === "rows") return true;
    else break;
  }
  return ts.isCallExpression(x) && calleeName(x) === "execute";
}

function isSqlTemplate(n: ts.Node): n is ts.TaggedTemplateExpression {
  return ts.isTaggedTemplateExpression(n) && ts.isIdentifier(n.tag) && n.tag.text === "sql";
}

function isSqlRaw(n: ts.Node): n is ts.CallExpression {
  return ts.isCallExpression(n) && n.expression.getText() === "sql.raw";
}

/** `x.join(",")` calls and `{…}`-shaped template literals anywhere inside a sql template or sql.raw(…). */
function handBuiltArrays(root: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === "join" &&
      n.expression.expression.getText() !== "sql" &&
      n.arguments.length === 1 &&
      ts.isStringLiteralLike(n.arguments[0]) &&
      n.arguments[0].text.trim() === ","
    ) {
      found.push(n);
    } else if (ts.isTemplateExpression(n) && /^'?\{/.test(n.head.text)) {
      found.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
  return found;
}
