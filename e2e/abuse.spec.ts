import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { type Permission, ROLE_PERMISSIONS } from "@/lib/authz/permissions";
import type { Role } from "@/lib/authz/roles";
import { ENDPOINT_FILES, exportsOf, findings, permissionOf, pool } from "./support/abuse";
import type { PersonaKey } from "./support/personas";
import { authFile, expect, test } from "./support/test";

/**
 * The abuse suite: every server action and route handler the build contains — found in its manifests, not by
 * file name — called over HTTP as the browser would, anonymously, as every persona that lacks the permission,
 * and with malformed, oversized and replayed input. Nothing may answer 5xx or `internal`, every refusal must be
 * the right 400-class one, and nothing refused may write (the audit chain's head is the same before and after).
 * It runs before the journeys (playwright.config.ts), so no journey writes while it watches the audit head.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

const DIST = process.env.NEXT_DIST_DIR || ".next";
const manifest = (file: string) => JSON.parse(readFileSync(path.resolve(DIST, "server", file), "utf8"));

const ROLE_OF: Record<PersonaKey, Role> = {
  analyst: "analyst",
  manager: "manager",
  approver: "approver",
  approver2: "approver",
  executive: "executive",
  admin: "admin",
};
const PERSONA_KEYS = Object.keys(ROLE_OF) as PersonaKey[];
const holds = (p: PersonaKey, permission: Permission) =>
  (ROLE_PERMISSIONS[ROLE_OF[p]] as readonly Permission[]).includes(permission);

// ─── Discovery ────────────────────────────────────────────────────────────────────────────────────
type ActionEntry = { id: string; file: string; name: string; page: string };
type RouteEntry = { pattern: string; file: string };

/** `app/(console)/systems/[id]/reconciliation/page` → `/systems/1/reconciliation` (a seeded id for each segment). */
function urlOf(appPath: string, leaf: string): string {
  const segments = appPath
    .replace(/^app\//, "")
    .replace(new RegExp(`/?${leaf}$`), "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"))
    .map((s) => (/^\[.*\]$/.test(s) ? "1" : s));
  return `/${segments.join("/")}`;
}

function discoverActions(): ActionEntry[] {
  const node = manifest("server-reference-manifest.json").node as Record<
    string,
    { workers: Record<string, unknown>; filename?: string; exportedName?: string }
  >;
  return Object.entries(node).map(([id, entry]) => {
    // The worker page with the fewest dynamic segments: the action is posted to that page, as its form would.
    const pages = Object.keys(entry.workers)
      .filter((w) => w.endsWith("/page") && !/^app\/(\([^)]*\)\/)?page$/.test(w)) // the root page only redirects
      .sort((a, b) => (a.match(/\[/g)?.length ?? 0) - (b.match(/\[/g)?.length ?? 0) || a.length - b.length);
    return {
      id,
      file: entry.filename ?? "?",
      name: entry.exportedName ?? "?",
      page: urlOf(pages[0] ?? "app/dashboard/page", "page"),
    };
  });
}

function discoverRoutes(): RouteEntry[] {
  const paths = manifest("app-paths-manifest.json") as Record<string, string>;
  return Object.keys(paths)
    .filter((k) => k.endsWith("/route") && (k.startsWith("/api/") || k.startsWith("/scim/")))
    .map((k) => ({ pattern: k.replace(/\/route$/, ""), file: k }));
}

const ACTIONS = discoverActions();
const ROUTES = discoverRoutes();
const PAGES = Object.keys(manifest("app-paths-manifest.json") as Record<string, string>)
  .filter((k) => k.endsWith("/page") && !k.includes("[") && !k.startsWith("/_"))
  .map((k) => urlOf(`app${k}`, "page"));

// ─── Calling ──────────────────────────────────────────────────────────────────────────────────────
type Answer = { status: number; code: string | null; ok: boolean | null; text: string };

async function callAction(api: APIRequestContext, a: ActionEntry, body: string, attempt = 1): Promise<Answer> {
  const res = await api
    .post(a.page, {
      headers: {
        "Next-Action": a.id,
        Accept: "text/x-component",
        "Content-Type": "text/plain;charset=UTF-8",
        Origin: process.env.LOCKSTEP_E2E_BASE_URL!,
      },
      data: body,
      maxRedirects: 0,
      failOnStatusCode: false,
    })
    .catch((err: Error) => err);
  // A kept-alive connection the server closed at that moment: once more on a fresh one, then it is a finding.
  if (res instanceof Error) {
    if (attempt < 2 && /ECONNRESET|socket hang up/.test(res.message)) return callAction(api, a, body, attempt + 1);
    return { status: 598, code: "connection", ok: null, text: res.message.split("\n")[0] };
  }
  return read(res);
}

async function read(res: APIResponse): Promise<Answer> {
  let text: string;
  try {
    text = (await res.body()).toString("utf8");
  } catch (err) {
    // A stream that errors mid-body (a CSV export failing after its header) is a broken answer, not a 200.
    return { status: 599, code: "cut-off", ok: null, text: String(err) };
  }
  const result = /"ok":(true|false)/.exec(text);
  const code = result?.[1] === "false" ? (/"code":"(\w+)"/.exec(text.slice(result.index))?.[1] ?? null) : null;
  return { status: res.status(), code, ok: result ? result[1] === "true" : null, text };
}

const MALFORMED: [string, unknown][] = [
  ["null", null],
  ["a string", "garbage"],
  ["an empty object", {}],
  ["a boolean id", { id: true, ids: [true], caseId: true, requestId: true }],
  ["a 40-bit id", { id: 2 ** 40, ids: [2 ** 40], caseId: 2 ** 40, requestId: 2 ** 40, systemId: 2 ** 40 }],
  ["a negative id", { id: -1, ids: [-1], caseId: -1, requestId: -1, limit: -1 }],
  [
    "5,000 characters",
    { q: "x".repeat(5000), query: "x".repeat(5000), name: "x".repeat(5000), reason: "x".repeat(5000) },
  ],
  ["a NUL byte", { q: "a\u0000b", query: "a\u0000b", name: "a\u0000b", reason: "a\u0000b", id: "1\u0000" }],
  ["a bad cursor", { after: "not-a-cursor" }],
  // Valid but for one NUL byte: it must be refused by the schema, not reach PostgreSQL (which refuses it in text).
  ["a NUL byte in an otherwise valid request", { credentialId: 1, reason: "checked\u0000twice", q: "ab\u0000" }],
  ["an impossible date", { dueDate: "2026-02-30", dueAt: "2026-02-30", expiresAt: "2026-02-30", date: "2026-02-30" }],
];

/**
 * Bad input sent as a raw body: not the array of arguments Next.js expects. (A body that is not JSON at all is
 * refused by Next.js's own decoder with a 500 before any of our code runs: a framework limit, not swept here.)
 */
const RAW_BODIES: [string, string][] = [
  ["a bare object", JSON.stringify({ id: 1 })],
  ["an empty argument list", "[]"],
];

/**
 * Actions whose empty or lenient input is a real request that changes the persona's own session or inbox (ending
 * every session would sign the journeys' personas out): these get only input no schema accepts.
 */
const SELF_AFFECTING = new Set([
  "signOutEverywhereAction",
  "markNoticesReadAction",
  "beginRegistrationAction",
  "beginStepUpAction",
]);
const UNPARSEABLE = MALFORMED.filter(([label]) => label === "null" || label === "a string");

/** The console's error boundary (app/(console)/error.tsx): a page that threw, whatever the status says. */
const PAGE_FAILED = "This page could not load";

async function auditHead(admin: APIRequestContext): Promise<{ checked: number; lastId: number | null }> {
  const res = await admin.get("/api/audit/verify");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.ok, "the audit chain verifies").toBe(true);
  return { checked: body.checked, lastId: body.lastId };
}

// ─── The suite ────────────────────────────────────────────────────────────────────────────────────
test.describe("abuse", () => {
  const contexts = {} as Record<
    PersonaKey | "anonymous" | "forged" | "adminTz" | "analystTz" | "managerTz",
    APIRequestContext
  >;

  test.beforeAll(async ({ playwright }) => {
    const baseURL = process.env.LOCKSTEP_E2E_BASE_URL!;
    for (const p of PERSONA_KEYS)
      contexts[p] = await playwright.request.newContext({ baseURL, storageState: authFile(p) });
    // The same sessions with a time-zone cookie no zone database knows (the console sets `tz` from the browser).
    for (const p of ["admin", "analyst", "manager"] as const) {
      const state = JSON.parse(readFileSync(authFile(p), "utf8"));
      const tz = { ...state.cookies[0], name: "tz", value: "Not/AZone", httpOnly: false };
      contexts[`${p}Tz`] = await playwright.request.newContext({
        baseURL,
        storageState: { ...state, cookies: [...state.cookies, tz] },
      });
    }
    contexts.anonymous = await playwright.request.newContext({ baseURL });
    // Past the proxy's cheap cookie check, so the endpoint's own gate answers.
    contexts.forged = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { cookie: "authjs.session-token=forged" },
    });
  });
  test.afterAll(async () => {
    for (const c of Object.values(contexts)) await c?.dispose();
  });

  test("discovers every action and route from the build's manifests, hiding none the sources have", () => {
    expect(ACTIONS.length).toBeGreaterThan(0);
    expect(ROUTES.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const file of ENDPOINT_FILES.actions) {
      for (const name of exportsOf(file).exports)
        if (!ACTIONS.some((a) => a.file === file && a.name === name)) missing.push(`${file} ${name}`);
    }
    for (const file of ENDPOINT_FILES.routes) {
      const key = `/${file.replace(/^app\//, "").replace(/\.ts$/, "")}`
        .split("/")
        .filter((s) => !/^\(.*\)$/.test(s))
        .join("/");
      if (!ROUTES.some((r) => r.file === key)) missing.push(file);
    }
    expect(missing, "endpoints in the sources that the build's manifests do not list").toEqual([]);
    expect(ACTIONS.length).toBeGreaterThanOrEqual(
      ENDPOINT_FILES.actions.reduce((n, f) => n + exportsOf(f).exports.length, 0),
    );
  });

  test("every action refuses anonymous callers and roles without its permission, and survives malformed input", async () => {
    const before = await auditHead(contexts.admin);
    const problems = findings();
    const succeeded: string[] = [];
    const calls: (() => Promise<void>)[] = [];

    for (const a of ACTIONS) {
      const where = `${a.file} ${a.name}`;
      const isPublic = a.file.startsWith("app/(auth)/");
      const permission = isPublic ? null : permissionOf(a.file, a.name);
      if (!isPublic && !permission) {
        problems.add(`${where}: no permission found in its source`);
        continue;
      }
      const inputs = SELF_AFFECTING.has(a.name) || isPublic ? UNPARSEABLE : MALFORMED;

      // Anonymous: the proxy sends a console page's POST to sign-in; past it (a forged cookie) the action says 401.
      calls.push(async () => {
        const r = await callAction(contexts.anonymous, a, JSON.stringify([{}]));
        if (!isPublic && !(r.status >= 300 && r.status < 400))
          problems.add(`${where} anonymous: ${r.status} ${r.code}, expected a redirect to sign-in`);
      });
      if (!isPublic) {
        calls.push(async () => {
          const r = await callAction(contexts.forged, a, JSON.stringify([{}]));
          if (r.code !== "unauthenticated") problems.add(`${where} forged session: ${r.status} ${r.code}`);
        });
      } else {
        for (const [label, input] of inputs)
          calls.push(async () => {
            const r = await callAction(contexts.anonymous, a, JSON.stringify([input]));
            if (r.status >= 500 || r.code === "internal")
              problems.add(`${where} anonymous, ${label}: ${r.status} ${r.code}`);
          });
        continue;
      }

      for (const p of PERSONA_KEYS) {
        if (holds(p, permission!)) continue;
        calls.push(async () => {
          const r = await callAction(contexts[p], a, JSON.stringify([{ id: 1 }]));
          if (r.code !== "forbidden") problems.add(`${where} as ${p} (lacks ${permission}): ${r.status} ${r.code}`);
        });
      }

      for (const p of ["analyst", "admin"] as const) {
        if (!holds(p, permission!)) continue;
        for (const [label, input] of inputs) {
          calls.push(async () => {
            const r = await callAction(contexts[p], a, JSON.stringify([input]));
            if (r.status >= 500 || r.code === "internal" || (r.code === null && r.ok === null))
              problems.add(`${where} as ${p}, ${label}: ${r.status} ${r.code ?? r.text.slice(0, 120)}`);
            else if (r.ok) succeeded.push(`${where} as ${p}, ${label}`);
          });
        }
        for (const [label, body] of RAW_BODIES) {
          calls.push(async () => {
            const r = await callAction(contexts[p], a, body);
            if (r.status >= 500 || r.code === "internal")
              problems.add(`${where} as ${p}, ${label}: ${r.status} ${r.code}`);
          });
        }
      }
    }
    await pool(calls, 6);

    // An oversized body (2 MB, past the server-action body limit) is refused cleanly, not with a 500.
    const search = ACTIONS.find((a) => a.name === "searchOwnersAction") ?? ACTIONS[0];
    const huge = await callAction(contexts.analyst, search, JSON.stringify([{ q: "x".repeat(2_000_000) }]));
    if (huge.status !== 413) problems.add(`oversized body: ${huge.status} ${huge.code}`);

    // Refused and malformed calls wrote nothing: the chain's head and length are what they were.
    const after = await auditHead(contexts.admin);
    if (JSON.stringify(after) !== JSON.stringify(before))
      problems.add(
        `audit head moved ${JSON.stringify(before)} → ${JSON.stringify(after)}; succeeded: ${succeeded.join("; ")}`,
      );
    problems.expectNone("actions");
  });

  test("every route refuses anonymous callers and roles without its permission, and survives malformed queries", async () => {
    const problems = findings();
    const calls: (() => Promise<void>)[] = [];
    const long = "x".repeat(5000);
    const QUERIES = [
      "after=garbage",
      `q=${long}`,
      "q=%00",
      "id=99999999999",
      "from=2026-02-30&to=2026-13-45",
      "limit=-1",
      "page=-1",
      "status=%00",
    ];

    for (const r of ROUTES) {
      if (r.pattern.startsWith("/api/auth")) continue; // Auth.js: public by design (authz sweep)
      const source = `app${r.file}.ts`;
      const { exports, machine } = exportsOf(source);
      for (const method of exports) {
        const permission = machine ? null : permissionOf(source, method);
        const url = (id: string) => r.pattern.replace(/\[[^\]]+\]/g, id);
        const send = (ctx: APIRequestContext, u: string, extra?: { data?: string; headers?: Record<string, string> }) =>
          ctx.fetch(u, { method, maxRedirects: 0, failOnStatusCode: false, ...extra }).then(read);
        const where = `${method} ${r.pattern}`;

        for (const who of ["anonymous", "forged"] as const)
          calls.push(async () => {
            const a = await send(contexts[who], url("1"));
            if (a.status !== 401) problems.add(`${where} ${who}: ${a.status}, expected 401`);
            // SCIM endpoints answer in SCIM's error format; other machine endpoints (the audit checkpoint feed) in
            // the console's JSON.
            if (r.pattern.startsWith("/scim/") && !/urn:ietf:params:scim:api:messages:2.0:Error/.test(a.text))
              problems.add(`${where} ${who}: 401 without a SCIM error body`);
          });
        if (machine) {
          // A console session is no bearer token: machine endpoints answer 401 to every persona.
          calls.push(async () => {
            const a = await send(contexts.admin, url("1"));
            if (a.status !== 401) problems.add(`${where} as admin's session: ${a.status}, expected 401`);
          });
          continue;
        }
        for (const p of PERSONA_KEYS) {
          if (holds(p, permission!)) continue;
          calls.push(async () => {
            const a = await send(contexts[p], url("1"));
            if (a.status !== 403) problems.add(`${where} as ${p} (lacks ${permission}): ${a.status}`);
          });
        }
        const caller = (["admin", "analyst", "manager"] as const).find((p) => holds(p, permission!));
        if (!caller) continue;
        const ids = r.pattern.includes("[") ? ["99999999999", "-1", "abc", "1%00"] : ["1"];
        for (const id of ids)
          calls.push(async () => {
            const a = await send(contexts[caller], url(id), { data: method === "GET" ? undefined : "{{{" });
            if (a.status >= 500 || !(a.status < 300 || (a.status >= 400 && a.status < 500)))
              problems.add(`${where} as ${caller}, id ${id}: ${a.status} ${a.code}`);
          });
        if (method !== "GET") continue;
        for (const q of QUERIES)
          calls.push(async () => {
            const a = await send(contexts[caller], `${url("1")}?${q}`);
            if (a.status >= 500) problems.add(`${where}?${q.slice(0, 40)} as ${caller}: ${a.status} ${a.code}`);
          });
        // A bad time-zone cookie is ignored, not a crash; a CSV export ends with a complete last line.
        calls.push(async () => {
          const a = await send(contexts[`${caller}Tz`], url("1"));
          if (a.status >= 500) problems.add(`${where} with tz=Not/AZone: ${a.status} ${a.code}`);
          if (a.status === 200 && /export$/.test(r.pattern) && !a.text.endsWith("\n"))
            problems.add(`${where}: the CSV ends mid-line (${a.text.length} bytes)`);
        });
      }
    }
    await pool(calls, 6);
    problems.expectNone("routes");
  });

  test("pages answer odd query strings and a bad time-zone cookie without an internal error", async () => {
    const problems = findings();
    const odd = `after=garbage&q=${"x".repeat(5000)}&from=2026-02-30&to=2026-13-45&page=-1&sort=%00&status=zzz`;
    const calls = PAGES.filter((p) => !p.startsWith("/sign-in") && !p.startsWith("/enrol")).flatMap((page) => [
      async () => {
        const r = await contexts.admin.get(`${page}?${odd}`, { maxRedirects: 0, failOnStatusCode: false });
        if (r.status() >= 500 || (await r.text()).includes(PAGE_FAILED)) problems.add(`${page}?odd: ${r.status()}`);
      },
      async () => {
        const r = await contexts.analystTz.get(page, { maxRedirects: 0, failOnStatusCode: false });
        if (r.status() >= 500 || (await r.text()).includes(PAGE_FAILED))
          problems.add(`${page} with tz=Not/AZone: ${r.status()}`);
      },
    ]);
    await pool(calls, 4);
    problems.expectNone("pages");
  });

  test("a replayed call changes nothing the second time", async () => {
    const approver = contexts.approver2;
    const notices = async () =>
      (await (await approver.get("/api/notices")).json()) as {
        items: { id: number; readAt: string | null }[];
        unread: number;
      };
    const before = await notices();
    const unread = before.items.find((n) => !n.readAt);
    test.skip(!unread, "no unread notice for the second approver in this seed");
    const markRead = ACTIONS.find((a) => a.name === "markNoticesReadAction")!;
    const body = JSON.stringify([{ noticeIds: [unread!.id] }]);
    const first = await callAction(approver, markRead, body);
    expect(first.ok, first.text.slice(0, 200)).toBe(true);
    const afterFirst = await notices();
    // The first call wrote its one audit event; from here on nothing may be written.
    const head = await auditHead(contexts.admin);
    expect(afterFirst.unread).toBe(before.unread - 1);
    const second = await callAction(approver, markRead, body);
    expect(second.status).toBeLessThan(500);
    expect((await notices()).unread).toBe(afterFirst.unread);
    // Someone else's notice id is not theirs to mark: the same request by another person changes nothing either.
    const other = await callAction(contexts.executive, markRead, body);
    expect(other.status).toBeLessThan(500);
    expect(other.code).not.toBe("internal");
    expect(await auditHead(contexts.admin)).toEqual(head);
  });
});
