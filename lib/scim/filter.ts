import { ScimError } from "./errors";

/**
 * SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), parsed into a tree by recursive descent: `not` binds
 * tighter than `and`, `and` tighter than `or`; parentheses group; `attr[…]` filters a multi-valued attribute's
 * values. Operators, keywords and attribute names are case-insensitive. The tree keeps attribute names as written:
 * the caller resolves them against a schema (an attribute whitelist) before anything reaches SQL.
 */
export type AttrPath = { uri: string | null; attr: string; sub: string | null };
export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le";
export type FilterValue = string | number | boolean | null;
export type Filter =
  | { kind: "and" | "or"; left: Filter; right: Filter }
  | { kind: "not"; filter: Filter }
  | { kind: "present"; path: AttrPath }
  | { kind: "compare"; op: CompareOp; path: AttrPath; value: FilterValue }
  /** `emails[type eq "work"]`: `filter` names sub-attributes of `path` (whose `sub` is null). */
  | { kind: "valuePath"; path: AttrPath; filter: Filter };

/** A PATCH operation's target: `attr`, `attr.sub`, `urn:…:attr`, `attr[filter]`, `attr[filter].sub`. */
export type PatchPath = AttrPath & { filter: Filter | null };

const COMPARE_OPS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"]);
/** Long enough for any client's filter; short enough that a hostile one costs nothing. */
const MAX_LENGTH = 4096;
const MAX_DEPTH = 32;

type Token =
  | { t: "(" | ")" | "[" | "]"; at: number }
  | { t: "word"; v: string; at: number }
  | { t: "string"; v: string; at: number }
  | { t: "number"; v: number; at: number };

const bad = (detail: string) => new ScimError(400, "invalidFilter", detail);

function tokenize(text: string, fail: (detail: string) => ScimError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
    else if (c === "(" || c === ")" || c === "[" || c === "]") tokens.push({ t: c, at: i++ });
    else if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      if (i >= text.length) throw fail(`Unterminated string starting at position ${start + 1}.`);
      i++;
      let v: unknown;
      try {
        v = JSON.parse(text.slice(start, i));
      } catch {
        throw fail(`Malformed string at position ${start + 1}.`);
      }
      if ((v as string).includes("\u0000")) throw fail(`NUL in the string at position ${start + 1}.`);
      tokens.push({ t: "string", v: v as string, at: start });
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i));
      if (!m) throw fail(`Malformed number at position ${i + 1}.`);
      tokens.push({ t: "number", v: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_$.]/.test(c)) {
      const m = /^[A-Za-z0-9_$.:-]+/.exec(text.slice(i))!;
      tokens.push({ t: "word", v: m[0], at: i });
      i += m[0].length;
    } else throw fail(`Unexpected character "${c}" at position ${i + 1}.`);
  }
  return tokens;
}

const NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

/** `urn:…:User:name.givenName` → uri, attr, sub. The URI is everything before the last colon. */
export function parseAttrPath(word: string, fail: (detail: string) => ScimError = bad): AttrPath {
  const colon = word.lastIndexOf(":");
  const uri = colon >= 0 ? word.slice(0, colon) : null;
  const rest = colon >= 0 ? word.slice(colon + 1) : word;
  const parts = rest.split(".");
  if (uri !== null && !/^urn:[A-Za-z0-9.:_-]+$/i.test(uri)) throw fail(`"${word}" is not an attribute path.`);
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) throw fail(`"${word}" is not an attribute path.`);
  return { uri, attr: parts[0], sub: parts[1] ?? null };
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly fail: (detail: string) => ScimError,
  ) {}

  done() {
    return this.i >= this.tokens.length;
  }
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private next(what: string): Token {
    const t = this.tokens[this.i++];
    if (!t) throw this.fail(`The filter ends where ${what} was expected.`);
    return t;
  }
  private keyword(t: Token | undefined, word: string) {
    return t?.t === "word" && t.v.toLowerCase() === word;
  }
  expect(kind: "(" | ")" | "]", what: string) {
    const t = this.next(`"${kind}"`);
    if (t.t !== kind) throw this.fail(`Expected "${kind}" ${what} at position ${t.at + 1}.`);
  }

  /** FILTER = term *("or" term); term = factor *("and" factor) */
  or(inBrackets: boolean): Filter {
    this.enter();
    let left = this.and(inBrackets);
    while (this.keyword(this.peek(), "or")) {
      this.i++;
      left = { kind: "or", left, right: this.and(inBrackets) };
    }
    this.depth--;
    return left;
  }

  private and(inBrackets: boolean): Filter {
    let left = this.factor(inBrackets);
    while (this.keyword(this.peek(), "and")) {
      this.i++;
      left = { kind: "and", left, right: this.factor(inBrackets) };
    }
    return left;
  }

  private factor(inBrackets: boolean): Filter {
    const t = this.next("an expression");
    if (this.keyword(t, "not")) {
      this.expect("(", 'after "not"');
      const filter = this.or(inBrackets);
      this.expect(")", 'to close "not ("');
      return { kind: "not", filter };
    }
    if (t.t === "(") {
      const inner = this.or(inBrackets);
      this.expect(")", "to close the group");
      return inner;
    }
    if (t.t !== "word") throw this.fail(`Expected an attribute name at position ${t.at + 1}.`);
    const path = parseAttrPath(t.v, this.fail);
    if (this.peek()?.t === "[") {
      if (inBrackets || path.sub) throw this.fail(`A value filter cannot be nested (position ${t.at + 1}).`);
      this.i++;
      const filter = this.or(true);
      this.expect("]", "to close the value filter");
      const after = this.peek();
      // `emails[type eq "work"].value eq "x"`: not in RFC 7644's filter grammar, but clients send it; it means
      // the same as `emails[type eq "work" and value eq "x"]`.
      if (after?.t === "word" && after.v.startsWith(".")) {
        this.i++;
        const sub = parseAttrPath(after.v.slice(1), this.fail);
        if (sub.uri || sub.sub) throw this.fail(`"${after.v}" is not a sub-attribute.`);
        const test = this.comparison({ uri: null, attr: sub.attr, sub: null });
        return { kind: "valuePath", path, filter: { kind: "and", left: filter, right: test } };
      }
      return { kind: "valuePath", path, filter };
    }
    if (inBrackets && (path.uri || path.sub)) throw this.fail(`"${t.v}" is not a sub-attribute name.`);
    return this.comparison(path);
  }

  private comparison(path: AttrPath): Filter {
    const opToken = this.next("an operator");
    const op = opToken.t === "word" ? opToken.v.toLowerCase() : "";
    if (op === "pr") return { kind: "present", path };
    if (!COMPARE_OPS.has(op))
      throw this.fail(`Expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) at position ${opToken.at + 1}.`);
    const v = this.next("a value");
    let value: FilterValue;
    if (v.t === "string" || v.t === "number") value = v.v;
    else if (v.t === "word" && ["true", "false", "null"].includes(v.v.toLowerCase())) {
      value = v.v.toLowerCase() === "null" ? null : v.v.toLowerCase() === "true";
    } else throw this.fail(`Expected a value (a quoted string, number, true, false or null) at position ${v.at + 1}.`);
    return { kind: "compare", op: op as CompareOp, path, value };
  }

  private enter() {
    if (++this.depth > MAX_DEPTH) throw this.fail(`The filter nests deeper than ${MAX_DEPTH} levels.`);
  }
}

/** Parses a `filter` query parameter; a malformed one is a 400 `invalidFilter` saying where. */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_LENGTH) throw bad(`The filter is longer than ${MAX_LENGTH} characters.`);
  const tokens = tokenize(text, bad);
  if (tokens.length === 0) throw bad("The filter is empty.");
  const p = new Parser(tokens, bad);
  const filter = p.or(false);
  const rest = p.peek();
  if (rest) throw bad(`Unexpected ${rest.t === "word" ? `"${rest.v}"` : `"${rest.t}"`} at position ${rest.at + 1}.`);
  return filter;
}

/** Parses a PATCH operation's `path`; a malformed one is a 400 `invalidPath`. */
export function parsePatchPath(text: string): PatchPath {
  const fail = (detail: string) => new ScimError(400, "invalidPath", `Invalid path "${text.slice(0, 200)}": ${detail}`);
  if (text.length > MAX_LENGTH) throw fail("too long.");
  const open = text.indexOf("[");
  if (open < 0) return { ...parseAttrPath(text.trim(), fail), filter: null };
  const close = text.lastIndexOf("]");
  if (close < open) throw fail('"[" is not closed.');
  const path = parseAttrPath(text.slice(0, open).trim(), fail);
  if (path.sub) throw fail("a value filter follows the multi-valued attribute, not its sub-attribute.");
  const tokens = tokenize(text.slice(open + 1, close), fail);
  if (tokens.length === 0) throw fail("the value filter is empty.");
  const p = new Parser(tokens, fail);
  const filter = p.or(true);
  if (!p.done()) throw fail("unexpected text in the value filter.");
  const tail = text.slice(close + 1).trim();
  let sub: string | null = null;
  if (tail) {
    if (!tail.startsWith(".") || !NAME.test(tail.slice(1))) throw fail(`unexpected "${tail}" after the value filter.`);
    sub = tail.slice(1);
  }
  return { ...path, sub, filter };
}
