import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ENTERPRISE_USER, PATCH_OP } from "@/lib/scim/schemas";
import { testDb } from "@/lib/testing/db";
import { seededRandom } from "@/lib/testing/random";
import { filterQuery, provisioningToken, type ScimAnswer, type ScimCall, scimClient } from "@/lib/testing/scim-client";

/**
 * Random filters and bodies thrown at the endpoints: whatever arrives, the answer is a resource, a list or a
 * SCIM error with a 4xx status — never a 500. Seeded, so a failure names the case that replays it
 * (`SCIM_FUZZ_SEED=<n>` tries another seed).
 */
process.env.LOCKSTEP_SCIM_RATE = "100000";

const SEED = Number(process.env.SCIM_FUZZ_SEED) || 20_261_102;
const next = seededRandom(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
const chance = (p: number) => next() < p;
const run = randomUUID().slice(0, 8);

const ATTRS = [
  "userName",
  "USERNAME",
  "displayName",
  "active",
  "title",
  "emails",
  "emails.value",
  "emails.type",
  "emails.primary",
  "name",
  "name.givenName",
  "name.familyName",
  "externalId",
  "id",
  "meta",
  "meta.created",
  "meta.lastModified",
  "groups",
  "groups.value",
  "members",
  "members.value",
  "phoneNumbers",
  "userType",
  "password",
  "nickName",
  `${ENTERPRISE_USER}:department`,
  `${ENTERPRISE_USER}:manager`,
  `${ENTERPRISE_USER}:manager.value`,
  `${ENTERPRISE_USER}:employeeNumber`,
  ENTERPRISE_USER,
  "urn:ietf:params:scim:schemas:core:2.0:User:userName",
  "unknown",
  "a.b.c",
  "$ref",
  "",
  " ",
  'emails[type eq "work"].value',
  'members[value eq "1"]',
  "schemas",
];
const OPS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "xx"];

function value(depth = 0): unknown {
  const r = next();
  if (r < 0.25)
    return pick([
      "",
      "x",
      "True",
      "False",
      "work",
      "1",
      "-1",
      "2026-01-01T00:00:00Z",
      'é\u0000"',
      `u${Math.floor(next() * 1e6)}`,
    ]);
  if (r < 0.35) return pick([0, 1, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER]);
  if (r < 0.45) return chance(0.5);
  if (r < 0.5) return null;
  if (depth > 2) return "leaf";
  if (r < 0.75) return Array.from({ length: Math.floor(next() * 3) }, () => value(depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(next() * 4) }, () => [
      pick([...ATTRS, "value", "type", "primary", "display"]),
      value(depth + 1),
    ]),
  );
}

function filter(depth = 0): string {
  const r = next();
  if (depth < 3 && r < 0.15) return `(${filter(depth + 1)}) ${pick(["and", "or", "AND", "xor"])} ${filter(depth + 1)}`;
  if (depth < 3 && r < 0.25) return `not (${filter(depth + 1)})`;
  if (depth < 3 && r < 0.32) return `${pick(ATTRS)}[${filter(depth + 1)}]`;
  const op = pick(OPS);
  const v = pick([JSON.stringify(String(value())), "true", "false", "null", "12", '"unterminated', "bare", ""]);
  return op.toLowerCase() === "pr" ? `${pick(ATTRS)} pr` : `${pick(ATTRS)} ${op} ${v}`;
}

function patchBody(): unknown {
  if (chance(0.1)) return value();
  return {
    schemas: chance(0.9) ? [PATCH_OP] : value(),
    Operations: Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
      const op: Record<string, unknown> = {
        op: pick(["add", "replace", "remove", "Add", "Replace", "Remove", "move", 1]),
      };
      if (chance(0.7))
        op.path = chance(0.3) ? `${pick(ATTRS)}[${filter(2)}]${chance(0.5) ? ".value" : ""}` : pick(ATTRS);
      if (chance(0.8)) op.value = chance(0.3) ? { [pick(ATTRS)]: value() } : value();
      return op;
    }),
  };
}

function userBody(): unknown {
  if (chance(0.1)) return pick(["", "{", "[]", "null", "42", value()]);
  const body = Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [pick(ATTRS), value()]));
  if (chance(0.7)) body.userName = `fuzz.${run}.${Math.floor(next() * 1e9)}@example.com`;
  return body;
}

let scim: ScimCall;
let userId: string;
let groupId: string;

beforeAll(async () => {
  const db = await testDb();
  scim = scimClient((await provisioningToken(db, `Fuzz ${run}`)).token);
  userId = (await scim("POST", "/Users", { body: { userName: `fuzz.target.${run}@example.com` } })).body!.id;
  groupId = (await scim("POST", "/Groups", { body: { displayName: `Fuzz ${run}`, members: [{ value: userId }] } }))
    .body!.id;
});

function expectSound(r: ScimAnswer, what: string) {
  expect(r.status, what).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.body, what).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(r.status),
    });
  }
}

describe("endpoint fuzz", () => {
  it("never answers 500 to random filters, pages and projections", async () => {
    for (let i = 0; i < 150; i++) {
      const f = filter();
      const more = chance(0.3)
        ? `&count=${pick(["0", "-1", "1", "abc", "501", "2"])}&startIndex=${pick(["0", "1", "x", "99999999999"])}`
        : "";
      const attrs = chance(0.2) ? `&attributes=${encodeURIComponent(pick(ATTRS))}` : "";
      const path = `${pick(["/Users", "/Groups"])}${filterQuery(f, more + attrs)}`;
      expectSound(await scim("GET", path), `seed ${SEED} case ${i}: GET ${path}`);
    }
  });

  it("never answers 500 to random bodies on every write", async () => {
    for (let i = 0; i < 250; i++) {
      const [method, path, body] = pick([
        () => ["POST", "/Users", userBody()] as const,
        () => ["PUT", `/Users/${userId}`, userBody()] as const,
        () => ["PATCH", `/Users/${userId}`, patchBody()] as const,
        () => ["PATCH", `/Users/${pick([userId, "0", "x", "999999999"])}`, patchBody()] as const,
        () => ["POST", "/Groups", { displayName: `G ${run} ${i}`, ...(value() as object) }] as const,
        () => ["PATCH", `/Groups/${groupId}`, patchBody()] as const,
        () => ["PUT", `/Groups/${groupId}`, { displayName: `Fuzz ${run}`, members: value() }] as const,
      ])();
      const r = await scim(method, path, {
        body,
        headers: chance(0.1) ? { "if-match": pick(["*", 'W/"x"', ""]) } : {},
      });
      expectSound(r, `seed ${SEED} case ${i}: ${method} ${path} ${JSON.stringify(body)?.slice(0, 500)}`);
    }
  });
});
