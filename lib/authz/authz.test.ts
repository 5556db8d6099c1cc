import { readdirSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { navFor } from "@/components/shell/nav-items";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { identities } from "@/db/schema";
import {
  type Actor,
  type Assurance,
  aggregateScope,
  authorize,
  breakGlassScope,
  CONSOLE_PERMISSIONS,
  can,
  identityScope,
  inTeam,
  MACHINE_CLIENT_PERMISSIONS,
  MACHINE_CLIENTS,
  MACHINE_PERMISSIONS,
  type MachineClient,
  machineActor,
  PERMISSIONS,
  type Permission,
  peopleReach,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
  type Role,
  STEP_UP,
  SYSTEM_ACTOR,
  userActor,
} from "@/lib/authz";
import { type ActionSpec, type AnyRouteSpec, type EdgeMeta, runAction, runRoute } from "@/lib/edge/core";
import { Forbidden } from "@/lib/errors";
import { actorByName, actorWith } from "@/lib/testing/actors";
import { testDb } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";

// ─── The matrix ────────────────────────────────────────────────────────────────────────────────────
// Written out in full on purpose: changing who may do what must change this table in the same commit.
const EXPECTED: Record<Role, Permission[]> = {
  analyst: [
    "dashboard.view",
    "people.read",
    "people.export",
    "leavers.read",
    "leavers.manage",
    "leavers.handover",
    "remediation.manage",
    "factors.aggregate",
    "factors.people",
    "factors.manage",
    "api_scopes.read",
    "api_scopes.manage",
    "imports.run",
    "reviews.read",
    "reviews.decide",
    "reviews.manage",
    "break_glass.request",
    "break_glass.request_for",
    "break_glass.read",
    "audit.read",
    "systems.read",
    "passkeys.manage",
  ],
  manager: [
    "dashboard.view",
    "people.read",
    "leavers.read",
    "leavers.handover",
    "factors.aggregate",
    "factors.people",
    "api_scopes.read",
    "reviews.read",
    "reviews.decide",
    "break_glass.request",
    "passkeys.manage",
  ],
  approver: ["dashboard.view", "break_glass.request", "break_glass.read", "break_glass.approve", "passkeys.manage"],
  executive: ["dashboard.view", "factors.aggregate", "passkeys.manage"],
  admin: CONSOLE_PERMISSIONS.filter((p) => p !== "break_glass.approve"),
};

// Machine clients (SCIM provisioning, Shared Signals receivers) hold machine permissions only.
const EXPECTED_MACHINE: Record<MachineClient, Permission[]> = {
  provisioning: ["scim.provision"],
  ssf_receiver: ["ssf.manage", "ssf.read"],
  audit_monitor: ["audit.checkpoints"],
};

/** Permissions whose reads or exports return an individual's records (not aggregates). */
const PERSONAL_RECORDS: Permission[] = [
  "people.read",
  "people.export",
  "leavers.read",
  "leavers.manage",
  "leavers.handover",
  "remediation.manage",
  "remediation.waive",
  "factors.people",
  "factors.manage",
  "api_scopes.read",
  "api_scopes.manage",
  "api_scopes.handles",
  "reviews.read",
  "reviews.decide",
  "reviews.manage",
  "break_glass.request_for",
  "break_glass.read",
  "break_glass.approve",
  "audit.read",
];

const roleHolds = (r: Role, p: Permission) => (ROLE_PERMISSIONS[r] as readonly Permission[]).includes(p);
const holders = (p: Permission) => ROLES.filter((r) => roleHolds(r, p));
const fake = (roles: Role[], id = 999_999): Actor => userActor(id, "Test actor", roles);
const machine = (client: MachineClient): Actor => machineActor(4242, `Test ${client} client`, client);

describe("permission matrix", () => {
  it("is exactly the documented table", () => {
    for (const role of ROLES) expect([...ROLE_PERMISSIONS[role]].sort(), role).toEqual([...EXPECTED[role]].sort());
    for (const client of MACHINE_CLIENTS) {
      expect([...MACHINE_CLIENT_PERMISSIONS[client]].sort(), client).toEqual([...EXPECTED_MACHINE[client]].sort());
    }
  });

  it("names only known permissions, and every permission is held by some role or machine client", () => {
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(CONSOLE_PERMISSIONS).toContain(p);
    for (const p of CONSOLE_PERMISSIONS) expect(holders(p), p).not.toEqual([]);
    for (const p of MACHINE_PERMISSIONS) {
      expect(
        MACHINE_CLIENTS.filter((c) => can(machine(c), p)),
        p,
      ).not.toEqual([]);
    }
    expect([...PERMISSIONS].sort()).toEqual([...CONSOLE_PERMISSIONS, ...MACHINE_PERMISSIONS].sort());
  });

  it("keeps console and machine permissions apart: no role holds a machine one, no machine client a console one", () => {
    const everyRole = fake([...ROLES]);
    for (const p of MACHINE_PERMISSIONS) expect(can(everyRole, p), p).toBe(false);
    for (const client of MACHINE_CLIENTS) {
      for (const p of CONSOLE_PERMISSIONS) expect(can(machine(client), p), `${client} ${p}`).toBe(false);
      for (const p of MACHINE_PERMISSIONS) {
        expect(can(machine(client), p), `${client} ${p}`).toBe(EXPECTED_MACHINE[client].includes(p));
      }
    }
    expect(() => authorize(machine("provisioning"), "ssf.read")).toThrow(/This client is not allowed ssf: read/);
  });

  it("gives machine clients no reach into records: every scope helper refuses them", () => {
    for (const client of MACHINE_CLIENTS) {
      const m = machine(client);
      expect(peopleReach(m)).toBe("none");
      expect(() => identityScope(m), client).toThrow(Forbidden);
      expect(() => inTeam(m, identities.id), client).toThrow(Forbidden);
      expect(() => aggregateScope(m, identities.id), client).toThrow(Forbidden);
      expect(() => breakGlassScope(m, identities.id), client).toThrow(Forbidden);
    }
  });

  it("gives executives aggregates only: no permission that returns personal records", () => {
    for (const p of PERSONAL_RECORDS) expect(can(fake(["executive"]), p), p).toBe(false);
    expect(peopleReach(fake(["executive"]))).toBe("none");
    expect(() => identityScope(fake(["executive"]))).toThrow(Forbidden);
    expect(() => inTeam(fake(["executive"]), identities.id)).toThrow(Forbidden);
  });

  it("keeps break-glass approval with approvers only (two-person control): admin cannot approve", () => {
    expect(holders("break_glass.approve")).toEqual(["approver"]);
    expect(can(fake(["admin"]), "break_glass.approve")).toBe(false);
    expect(can(fake(["admin", "analyst", "manager", "executive"]), "break_glass.approve")).toBe(false);
  });

  it("keeps approvers to break-glass: no directory, no audit, no reviews, no personal records beyond requests", () => {
    const approver = fake(["approver"]);
    for (const p of PERSONAL_RECORDS.filter((p) => !p.startsWith("break_glass.")))
      expect(can(approver, p), p).toBe(false);
    expect(peopleReach(approver)).toBe("none");
    expect(() => identityScope(approver)).toThrow(Forbidden);
    // Break-glass is scoped by the request, not by people reach: approvers see every request and what it did.
    expect(breakGlassScope(approver, identities.id)).toBeUndefined();
    expect(breakGlassScope(fake(["manager"]), identities.id)).toBeDefined();
  });

  it("keeps administration (roles, policies, systems, waivers) with admins", () => {
    for (const p of ["roles.manage", "policies.manage", "systems.manage", "remediation.waive"] as const) {
      expect(holders(p), p).toEqual(["admin"]);
    }
  });

  it("gives managers their team only: no export, no audit, no systems, no management", () => {
    const manager = fake(["manager"]);
    for (const p of [
      "remediation.manage",
      "people.export",
      "audit.read",
      "systems.read",
      "leavers.manage",
      "reviews.manage",
    ] as const) {
      expect(can(manager, p), p).toBe(false);
    }
    expect(peopleReach(manager)).toBe("team");
    expect(peopleReach(fake(["manager", "analyst"]))).toBe("all");
  });

  it("unions the permissions of several roles; the system actor acts under any permission", () => {
    const both = fake(["approver", "executive"]);
    expect(can(both, "break_glass.approve") && can(both, "factors.aggregate")).toBe(true);
    expect(permissionsOf(["approver", "executive"])).toEqual(new Set([...EXPECTED.approver, ...EXPECTED.executive]));
    expect(can(fake([]), "dashboard.view")).toBe(false);
    for (const p of PERMISSIONS) expect(can(SYSTEM_ACTOR, p)).toBe(true);
    expect(peopleReach(SYSTEM_ACTOR)).toBe("all");
  });

  it("authorize throws Forbidden with a readable message", () => {
    expect(() => authorize(fake(["executive"]), "audit.read")).toThrow(/Your roles do not allow audit: read/);
    expect(() => authorize(fake(["analyst"]), "audit.read")).not.toThrow();
  });

  it("shows each role exactly its navigation", () => {
    const nav = (role: Role) => navFor((p) => can(fake([role]), p)).map((i) => i.label);
    const everything = [
      "Dashboard",
      "People",
      "Leavers",
      "Factors",
      "API scopes",
      "Access reviews",
      "Break-glass",
      "Audit",
      "Systems",
      "Imports",
    ];
    expect(nav("analyst")).toEqual(everything);
    expect(nav("admin")).toEqual([...everything, "Settings"]);
    expect(nav("manager")).toEqual([
      "Dashboard",
      "People",
      "Leavers",
      "Factors",
      "API scopes",
      "My reviews",
      "Break-glass",
    ]);
    expect(nav("approver")).toEqual(["Dashboard", "Break-glass"]);
    expect(nav("executive")).toEqual(["Dashboard", "Factors"]);
  });
});

// ─── Every server action and route handler ─────────────────────────────────────────────────────────
const ROOT = process.cwd();

/**
 * Endpoints that run without a console session, each with its reason. Anything not listed here must be
 * defined through defineAction/defineRoute, which carry the permission in `.meta`.
 */
const PUBLIC_ENDPOINTS: Record<string, string[]> = {
  // Auth.js itself: sign-in, OAuth callback, session and CSRF endpoints are the way in.
  "app/api/auth/[...nextauth]/route.ts": ["GET", "POST"],
  // Signing in and out run before (or after) there is a session; the providers re-check everything. A passkey
  // sign-in first asks for a single-use challenge, then hands the browser's answer to the "passkey" provider.
  "app/(auth)/actions.ts": [
    "signInAsPersona",
    "signInWithOidc",
    "beginPasskeySignInAction",
    "signInWithPasskey",
    "signOutAction",
  ],
  // A locked-out person has no session: the one-time enrolment pass of an approved recovery is the credential.
  "app/(auth)/enrol/actions.ts": ["beginPassEnrolmentAction", "finishPassEnrolmentAction"],
};

/**
 * Endpoints open to machine clients (`actors: "machine"`, bearer token instead of a session), each with its
 * permission, as `file export`: the SCIM 2.0 service provider for provisioning clients and the checkpoint feed for
 * audit monitors (Shared Signals streams bring theirs later).
 */
const SCIM_ENDPOINTS: Record<string, string[]> = {
  "app/scim/v2/Users/route.ts": ["GET", "POST"],
  "app/scim/v2/Users/[id]/route.ts": ["GET", "PUT", "PATCH", "DELETE"],
  "app/scim/v2/Groups/route.ts": ["GET", "POST"],
  "app/scim/v2/Groups/[id]/route.ts": ["GET", "PUT", "PATCH", "DELETE"],
  "app/scim/v2/ServiceProviderConfig/route.ts": ["GET"],
  "app/scim/v2/ResourceTypes/route.ts": ["GET"],
  "app/scim/v2/ResourceTypes/[id]/route.ts": ["GET"],
  "app/scim/v2/Schemas/route.ts": ["GET"],
  "app/scim/v2/Schemas/[id]/route.ts": ["GET"],
};
const MACHINE_ENDPOINTS: Record<string, Permission> = {
  ...Object.fromEntries(
    Object.entries(SCIM_ENDPOINTS).flatMap(([file, methods]) => methods.map((m) => [`${file} ${m}`, "scim.provision"])),
  ),
  // External monitors poll the audit chain's signed checkpoints.
  "app/api/audit/checkpoints/feed/route.ts GET": "audit.checkpoints",
};

/**
 * Endpoints that need a stronger or more recent sign-in than the session gives (step-up), with what each
 * needs, as `file export`. Services add their own where only some cases need one (closing a review campaign
 * before its due date: lib/reviews/commands/close.ts).
 */
const STEP_UP_ENDPOINTS: Record<string, Assurance> = {
  "app/(console)/_remediation/actions.ts waiveTaskAction": STEP_UP,
  "app/(console)/account/passkeys/actions.ts removePasskeyAction": STEP_UP,
  "app/(console)/api-scopes/actions.ts registerHandleAction": STEP_UP,
  "app/(console)/api-scopes/actions.ts rotateClientSecretAction": STEP_UP,
  "app/(console)/break-glass/actions.ts approveBreakGlassAction": STEP_UP,
  "app/(console)/break-glass/actions.ts denyBreakGlassAction": STEP_UP,
  "app/(console)/break-glass/actions.ts updateBreakGlassPolicyAction": STEP_UP,
  "app/(console)/factors/import/actions.ts updateLiftSettingsAction": STEP_UP,
  "app/(console)/settings/policies/actions.ts updatePoliciesAction": STEP_UP,
  "app/(console)/settings/roles/actions.ts grantConsoleRoleAction": STEP_UP,
  "app/(console)/settings/roles/actions.ts removeConsoleRoleAction": STEP_UP,
  "app/(console)/systems/actions.ts createSystemAction": STEP_UP,
  "app/(console)/systems/actions.ts updateSystemAction": STEP_UP,
};

/** Non-handler exports Next.js allows in a route file (route segment config). */
const ROUTE_SEGMENT_CONFIG = new Set([
  "dynamic",
  "dynamicParams",
  "revalidate",
  "fetchCache",
  "runtime",
  "preferredRegion",
  "maxDuration",
]);
const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

type Guarded = ((...args: never[]) => unknown) & {
  meta?: Partial<EdgeMeta>;
  spec?: ActionSpec<never, unknown> | AnyRouteSpec;
};
type Endpoint = { file: string; exportName: string; kind: "action" | "route"; fn: Guarded };

function endpointFiles(): string[] {
  return (readdirSync(path.join(ROOT, "app"), { recursive: true }) as string[])
    .filter((f) => ["actions.ts", "route.ts"].includes(path.basename(f)))
    .map((f) => path.posix.join("app", f.split(path.sep).join("/")))
    .sort();
}

/** `app/api/people/[id]/export/route.ts` → `/api/people/1/export` (route groups dropped, params filled). */
function urlPathOf(file: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const segments = path.posix
    .dirname(file)
    .split("/")
    .slice(1)
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => {
      const m = /^\[(?:\.\.\.)?(.+)\]$/.exec(s);
      if (!m) return s;
      params[m[1]] = "1";
      return "1";
    });
  return { path: `/${segments.join("/")}`, params };
}

const endpoints: Endpoint[] = [];
const files = endpointFiles();

// A Symbol is input no zod schema of an action accepts (unless it takes anything): proves parsing runs, and
// runs after authorization, without ever reaching the service.
const GARBAGE = Symbol("not an input");

beforeAll(async () => {
  for (const file of files) {
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
    const kind = path.basename(file) === "route.ts" ? "route" : "action";
    for (const [exportName, value] of Object.entries(mod)) {
      if (kind === "route" && ROUTE_SEGMENT_CONFIG.has(exportName)) continue;
      endpoints.push({ file, exportName, kind, fn: value as Guarded });
    }
  }
});

describe("server actions and route handlers", () => {
  it("finds the endpoint files (the glob is not silently empty)", () => {
    expect(files).toContain("app/api/auth/[...nextauth]/route.ts");
    expect(files).toContain("app/(auth)/actions.ts");
    expect(files).toContain("app/api/people/export/route.ts");
  });

  it("has no stale entries in the public allowlist", () => {
    for (const [file, names] of Object.entries(PUBLIC_ENDPOINTS)) {
      const found = endpoints
        .filter((e) => e.file === file)
        .map((e) => e.exportName)
        .sort();
      expect(found, file).toEqual([...names].sort());
    }
  });

  it("defines every non-public export through defineAction/defineRoute, naming a known permission", () => {
    const problems: string[] = [];
    for (const e of endpoints) {
      if (PUBLIC_ENDPOINTS[e.file]?.includes(e.exportName)) continue;
      const where = `${e.file} → ${e.exportName}`;
      const { meta, spec } = e.fn;
      if (typeof e.fn !== "function") problems.push(`${where}: exports a non-function`);
      else if (e.kind === "route" && !HTTP_METHODS.has(e.exportName)) problems.push(`${where}: not an HTTP method`);
      else if (!meta?.permission || !PERMISSIONS.includes(meta.permission)) {
        problems.push(
          `${where}: no .meta.permission (define it with ${e.kind === "route" ? "defineRoute" : "defineAction"})`,
        );
      } else if (
        !spec ||
        spec.permission !== meta.permission ||
        spec.name !== meta.name ||
        ("actors" in spec ? spec.actors : undefined) !== (meta.actors === "console" ? undefined : meta.actors) ||
        spec.assurance !== meta.assurance
      ) {
        problems.push(`${where}: .meta does not match its spec`);
      } else if (!/^[a-z_]+\.[a-z_]+$/.test(meta.name ?? "")) {
        problems.push(`${where}: name "${meta.name}" is not area.verb`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("opens exactly the listed endpoints to machine clients, and only those name machine permissions", () => {
    const opened = guarded().filter((e) => e.fn.meta!.actors === "machine");
    expect(Object.fromEntries(opened.map((e) => [keyOf(e), e.fn.meta!.permission]))).toEqual(MACHINE_ENDPOINTS);
    for (const e of guarded()) {
      const machinePermission = (MACHINE_PERMISSIONS as readonly string[]).includes(e.fn.meta!.permission!);
      expect(machinePermission, keyOf(e)).toBe(e.fn.meta!.actors === "machine");
    }
  });

  it("asks for a step-up on exactly the listed endpoints, with what each needs", () => {
    const stepUp = guarded().filter((e) => e.fn.meta!.assurance);
    expect(Object.fromEntries(stepUp.map((e) => [keyOf(e), e.fn.meta!.assurance]))).toEqual(STEP_UP_ENDPOINTS);
  });

  it("denies every role lacking the permission and every machine client (403), and anonymous callers (401)", async () => {
    let checked = 0;
    for (const e of guarded()) {
      const permission = e.fn.meta!.permission as Permission;
      const lacking = ROLES.filter((r) => !roleHolds(r, permission));
      const callers: [string, Actor | null][] = [
        ...lacking.map((r): [string, Actor] => [r, fake([r])]),
        // Holding every lacking role at once still adds up to no permission.
        ["all lacking roles", fake(lacking)],
        ["no roles", fake([])],
        ...MACHINE_CLIENTS.filter((c) => !can(machine(c), permission)).map((c): [string, Actor] => [c, machine(c)]),
        ["anonymous", null],
      ];
      for (const [who, actor] of callers) {
        const { code, status } = refusalFor(e, actor);
        const label = `${e.file} ${e.exportName} as ${who}`;
        if (e.kind === "action") {
          const result = await runAction(e.fn.spec as ActionSpec<never, unknown>, actor, GARBAGE);
          expect(result, label).toMatchObject({ ok: false, code });
        } else {
          const res = await callRoute(e, actor);
          expect(res.status, label).toBe(status);
          // A route with a protocol's own error body (SCIM) says the status its way; the rest say the code.
          const body = await res.json();
          if ((e.fn.spec as AnyRouteSpec).errors) expect(body, label).toMatchObject({ status: String(status) });
          else expect(body, label).toMatchObject({ ok: false, code });
          if (e.fn.meta!.actors === "machine" && status === 401) {
            expect(res.headers.get("www-authenticate"), label).toMatch(/^Bearer\b/);
          }
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("lets every holder of the permission past authorization (actions then reject bad input; GET routes answer)", async () => {
    const db = await testDb();
    for (const e of guarded()) {
      const { permission, assurance } = e.fn.meta as EdgeMeta;
      const holding: [string, Actor][] =
        e.fn.meta!.actors === "machine"
          ? MACHINE_CLIENTS.filter((c) => can(machine(c), permission)).map((c) => [c, machine(c)])
          : await Promise.all(
              ROLES.filter((r) => roleHolds(r, permission)).map(
                async (r): Promise<[string, Actor]> => [r, satisfying(await actorWith(db, [r]), assurance)],
              ),
            );
      for (const [who, actor] of holding) {
        const label = `${e.file} ${e.exportName} as ${who}`;
        if (e.kind === "action") {
          const result = await runAction(e.fn.spec as ActionSpec<never, unknown>, actor, GARBAGE);
          expect(result, `${label} (input must be validated before the service runs)`).toMatchObject({
            ok: false,
            code: "invalid",
          });
        } else if (e.exportName === "GET" || e.exportName === "HEAD") {
          const res = await callRoute(e, actor);
          expect([401, 403], `${label} answered ${res.status}`).not.toContain(res.status);
          await res.body?.cancel();
        }
      }
    }
  }, 180_000);
});

const keyOf = (e: Endpoint) => `${e.file} ${e.exportName}`;

/**
 * What a refused caller must get. Console endpoints: signed in → forbidden / 403 (machine clients too: they
 * hold no console permission); anonymous → unauthenticated / 401. Machine endpoints read no session, so every
 * caller without a valid token, signed in or not, is unauthenticated / 401; a client lacking the permission 403.
 */
function refusalFor(e: Endpoint, actor: Actor | null): { code: string; status: number } {
  const authenticated = e.fn.meta!.actors === "machine" ? actor?.kind === "machine" : actor !== null;
  return authenticated ? { code: "forbidden", status: 403 } : { code: "unauthenticated", status: 401 };
}

/** The actor as if they had just signed in the way the endpoint asks (no assurance: unchanged). */
function satisfying(actor: Actor, need: Assurance | undefined): Actor {
  if (!need || actor.kind !== "user") return actor;
  return { ...actor, auth: { method: need.method ?? "oidc", acr: null, amr: [], authTime: new Date() } };
}

function guarded(): Endpoint[] {
  return endpoints.filter((e) => !PUBLIC_ENDPOINTS[e.file]?.includes(e.exportName));
}

/** A console caller is the session's actor; a machine caller is what the (fake) bearer-token resolver finds. */
function callRoute(e: Endpoint, actor: Actor | null): Promise<Response> {
  const { path: urlPath, params } = urlPathOf(e.file);
  const request = new Request(`http://localhost${urlPath}`, {
    method: e.exportName,
    headers: { "user-agent": "authz.test" },
  });
  const resolveMachine = async () => (actor?.kind === "machine" ? actor : null);
  return runRoute(e.fn.spec as AnyRouteSpec, actor, request, { params: Promise.resolve(params) }, resolveMachine);
}

// ─── Data scoping against the seeded database ──────────────────────────────────────────────────────
describe("identityScope / inTeam on the seeded organisation", () => {
  let db: Db;
  let graph: { id: number; managerId: number | null; ownerId: number | null; kind: string }[];

  beforeAll(async () => {
    db = await testDb();
    graph = await db
      .select({
        id: identities.id,
        managerId: identities.managerId,
        ownerId: identities.ownerId,
        kind: identities.kind,
      })
      .from(identities);
  });

  /** The team computed in TypeScript, independently of the SQL: the manager, then reports at every level. */
  function expectedTeam(managerId: number): { team: Set<number>; visible: Set<number> } {
    const reports = new Map<number, number[]>();
    for (const i of graph)
      if (i.managerId !== null) reports.set(i.managerId, [...(reports.get(i.managerId) ?? []), i.id]);
    const team = new Set<number>([managerId]);
    const queue = [managerId];
    while (queue.length) {
      for (const r of reports.get(queue.shift()!) ?? []) {
        if (!team.has(r)) {
          team.add(r);
          queue.push(r);
        }
      }
    }
    const visible = new Set(team);
    for (const i of graph) if (i.ownerId !== null && team.has(i.ownerId)) visible.add(i.id);
    return { team, visible };
  }

  async function idsWhere(where: ReturnType<typeof identityScope>): Promise<Set<number>> {
    const rows = await db.select({ id: identities.id }).from(identities).where(where);
    return new Set(rows.map((r) => r.id));
  }

  it("gives Maya Patel exactly her reports' tree plus the non-human identities her team owns", async () => {
    const maya = await actorByName(db, "Maya Patel");
    expect(maya.roles).toContain("manager");
    const { team, visible } = expectedTeam(maya.id!);
    expect(team.size).toBeGreaterThan(1);
    expect(visible.size).toBeGreaterThan(team.size); // the demo team owns service accounts / API clients
    expect(await idsWhere(identityScope(maya))).toEqual(visible);
    expect(await idsWhere(inTeam(maya, identities.id))).toEqual(team);
    // The other demo manager's people are out of reach (unless they sit under Maya).
    const luis = await actorByName(db, "Luis Romero");
    expect(team.has(luis.id!)).toBe(false);
    expect((await idsWhere(identityScope(maya))).has(luis.id!)).toBe(false);
  });

  it("matches the independent computation for every manager in the seed, and an independent recursive count", async () => {
    const managers = await rowsOf(db, sql`SELECT identity_id AS id FROM console_roles WHERE role = 'manager'`, {
      id: col.num,
    });
    const ids = managers.map((r) => Number(r.id));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) {
      const actor = fake(["manager"], id);
      const { visible } = expectedTeam(id);
      expect(await idsWhere(identityScope(actor)), `manager ${id}`).toEqual(visible);
      // A recursive count written differently from teamIdsOf (walks up from each identity instead of down).
      const [{ n }] = await rowsOf(
        db,
        sql`
        WITH RECURSIVE up(id, ancestor) AS (
          SELECT id, id FROM identities
          UNION ALL SELECT u.id, i.manager_id FROM up u JOIN identities i ON i.id = u.ancestor WHERE i.manager_id IS NOT NULL
        ), team AS (SELECT DISTINCT id FROM up WHERE ancestor = ${id})
        SELECT count(*)::int AS n FROM identities x
         WHERE x.id IN (SELECT id FROM team) OR x.owner_id IN (SELECT id FROM team)`,
        { n: col.num },
      );
      expect(Number(n), `manager ${id}`).toBe(visible.size);
    }
  });

  it("gives a manager with no reports only themself and what they own", async () => {
    const leaf = graph.find((i) => i.kind === "human" && !graph.some((j) => j.managerId === i.id))!;
    const owned = graph.filter((i) => i.ownerId === leaf.id).map((i) => i.id);
    expect(await idsWhere(identityScope(fake(["manager"], leaf.id)))).toEqual(new Set([leaf.id, ...owned]));
  });

  it("does not restrict analysts, admins or the system; refuses roles without reach", async () => {
    for (const a of [fake(["analyst"]), fake(["admin"]), fake(["manager", "analyst"]), SYSTEM_ACTOR]) {
      expect(identityScope(a)).toBeUndefined();
      expect(inTeam(a, identities.id)).toBeUndefined();
    }
    for (const roles of [["executive"], ["approver"], []] as Role[][]) {
      expect(() => identityScope(fake(roles))).toThrow(Forbidden);
    }
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(identities)
      .where(identityScope(fake(["analyst"])));
    expect(Number(n)).toBe(graph.length);
  });
});
