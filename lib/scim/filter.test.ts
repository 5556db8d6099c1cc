import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/testing/random";
import { ScimError } from "./errors";
import { type Filter, parseFilter, parsePatchPath } from "./filter";

/** A compact spelling of a tree, to compare parses at a glance. */
function show(f: Filter): string {
  const p = (x: { uri: string | null; attr: string; sub: string | null }) =>
    `${x.uri ? `${x.uri}:` : ""}${x.attr}${x.sub ? `.${x.sub}` : ""}`;
  switch (f.kind) {
    case "and":
    case "or":
      return `(${show(f.left)} ${f.kind} ${show(f.right)})`;
    case "not":
      return `not ${show(f.filter)}`;
    case "present":
      return `${p(f.path)} pr`;
    case "valuePath":
      return `${p(f.path)}[${show(f.filter)}]`;
    default:
      return `${p(f.path)} ${f.op} ${JSON.stringify(f.value)}`;
  }
}

const refusal = (text: string) => {
  try {
    parseFilter(text);
  } catch (err) {
    return err;
  }
  return null;
};

describe("parseFilter", () => {
  it("reads comparisons of every operator, values of every type, case-insensitively", () => {
    expect(show(parseFilter('userName eq "bjensen"'))).toBe('userName eq "bjensen"');
    expect(show(parseFilter('UserName EQ "x" AND active Eq TRUE'))).toBe('(UserName eq "x" and active eq true)');
    for (const op of ["ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]) {
      expect(show(parseFilter(`meta.lastModified ${op} "2011-05-13T04:42:34Z"`))).toBe(
        `meta.lastModified ${op} "2011-05-13T04:42:34Z"`,
      );
    }
    expect(show(parseFilter("title pr"))).toBe("title pr");
    expect(show(parseFilter("x eq null or y eq false or z gt -1.5e3"))).toBe(
      "((x eq null or y eq false) or z gt -1500)",
    );
    expect(show(parseFilter('displayName eq "say \\"hi\\" \\u00e9"'))).toBe('displayName eq "say \\"hi\\" é"');
  });

  it("binds not tighter than and, and tighter than or; parentheses group", () => {
    expect(show(parseFilter('a eq "1" or b eq "2" and c eq "3"'))).toBe('(a eq "1" or (b eq "2" and c eq "3"))');
    expect(show(parseFilter('(a eq "1" or b eq "2") and c eq "3"'))).toBe('((a eq "1" or b eq "2") and c eq "3")');
    expect(show(parseFilter('a eq "1" and not (b eq "2" or c pr)'))).toBe('(a eq "1" and not (b eq "2" or c pr))');
  });

  it("reads URNs, sub-attributes and value paths", () => {
    expect(show(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "12"'))).toBe(
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "12"',
    );
    expect(show(parseFilter('emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp"]'))).toBe(
      '(emails[(type eq "work" and value co "@example.com")] or ims[type eq "xmpp"])',
    );
    // Not in RFC 7644's grammar, sent by clients anyway: the same as a value path with both tests.
    expect(show(parseFilter('emails[type eq "work"].value eq "a@b.c"'))).toBe(
      'emails[(type eq "work" and value eq "a@b.c")]',
    );
  });

  it("refuses malformed filters with 400 invalidFilter saying where", () => {
    for (const bad of [
      "",
      "userName",
      "userName eq",
      'userName xx "a"',
      'userName eq "unterminated',
      '(userName eq "a"',
      'userName eq "a")',
      'userName eq "a" and',
      'not userName eq "a"',
      'emails[type eq "work"',
      'emails[type eq "work"] eq "x"',
      'emails[types[x eq "y"]]',
      'a.b.c eq "x"',
      "userName eq bob",
      "userName eq 'single'",
      '"userName" eq "x"',
      `${"(".repeat(40)}a pr${")".repeat(40)}`,
      "a pr ".repeat(2000),
    ]) {
      const err = refusal(bad);
      expect(err, bad).toBeInstanceOf(ScimError);
      expect((err as ScimError).status, bad).toBe(400);
      expect((err as ScimError).scimType, bad).toBe("invalidFilter");
    }
    expect((refusal('userName eq "a" bogus') as ScimError).detail).toBe('Unexpected "bogus" at position 17.');
  });
});

describe("parsePatchPath", () => {
  it("reads attributes, sub-attributes, URNs and value filters with a sub-attribute", () => {
    expect(parsePatchPath("active")).toEqual({ uri: null, attr: "active", sub: null, filter: null });
    expect(parsePatchPath("name.givenName")).toEqual({ uri: null, attr: "name", sub: "givenName", filter: null });
    expect(parsePatchPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")).toMatchObject({
      uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      attr: "department",
    });
    const p = parsePatchPath('emails[type eq "work"].value');
    expect(p).toMatchObject({ attr: "emails", sub: "value" });
    expect(show(p.filter!)).toBe('type eq "work"');
    expect(show(parsePatchPath('members[value eq "2819c223"]').filter!)).toBe('value eq "2819c223"');
  });

  it("refuses malformed paths with 400 invalidPath", () => {
    for (const bad of [
      "emails[type eq",
      'emails[type eq "work"]x',
      "a.b.c",
      "emails[]",
      "1abc",
      'name.givenName[type eq "x"]',
    ]) {
      expect(() => parsePatchPath(bad), bad).toThrow(ScimError);
      try {
        parsePatchPath(bad);
      } catch (err) {
        expect((err as ScimError).scimType, bad).toBe("invalidPath");
      }
    }
  });
});

const PIECES = [
  "userName",
  "emails",
  "name.givenName",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
  "eq",
  "ne",
  "co",
  "sw",
  "ew",
  "gt",
  "ge",
  "lt",
  "le",
  "pr",
  "and",
  "or",
  "not",
  "(",
  ")",
  "[",
  "]",
  ".value",
  '"x"',
  '"a\\"b"',
  '"',
  "\\",
  "true",
  "False",
  "null",
  "12",
  "-3.5",
  "1e999",
  "'",
  ":",
  "$ref",
  "\u0000",
  "é",
  " ",
];

describe("parser fuzz", () => {
  it("answers thousands of random filters and paths with a tree or a 400, never anything else", () => {
    const next = seededRandom(7305);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    for (let i = 0; i < 5000; i++) {
      const text =
        next() < 0.2
          ? String.fromCharCode(...Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 128)))
          : Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(PIECES)).join(next() < 0.8 ? " " : "");
      for (const parse of [parseFilter, parsePatchPath]) {
        try {
          parse(text);
        } catch (err) {
          expect(err, `seed 7305 case ${i}: ${JSON.stringify(text)}`).toBeInstanceOf(ScimError);
          expect((err as ScimError).status).toBe(400);
        }
      }
    }
  });
});
