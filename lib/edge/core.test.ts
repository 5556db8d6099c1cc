import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  type Actor,
  type Authentication,
  type MachineActor,
  machineActor,
  requireAssurance,
  STEP_UP,
  SYSTEM_ACTOR,
  userActor,
} from "@/lib/authz";
import { testDb } from "@/lib/testing/db";
import { type ActionSpec, type RouteSpec, runAction, runRoute } from "./core";

// The edge opens "the" database for the service context: make it this file's test database.
beforeAll(async () => {
  await testDb();
});

const MINUTE = 60_000;
const signedIn = (method: Authentication["method"], msAgo: number): Authentication => ({
  method,
  acr: null,
  amr: [],
  authTime: new Date(Date.now() - msAgo),
});
const analyst = (auth?: Authentication) => userActor(1, "Test analyst", ["analyst"], null, auth);
const provisioning = machineActor(7, "HR provisioning", "provisioning");
const receiver = machineActor(8, "SIEM stream", "ssf_receiver");
const noParams = { params: Promise.resolve({}) };

type Schema = z.ZodType | undefined;
/** Infers the schemas the way defineRoute does, without Next.js. */
const routeSpec = <Q extends Schema = undefined, P extends Schema = undefined, B extends Schema = undefined>(
  spec: RouteSpec<Q, P, B>,
) => spec;

describe("assurance (step-up) at the edge", () => {
  const service = vi.fn(async () => "done");
  const approve: ActionSpec<z.ZodObject<{ id: z.ZodNumber }>, string> = {
    name: "break_glass.approve",
    permission: "audit.read",
    assurance: { method: "passkey", maxAgeSeconds: 300 },
    input: z.object({ id: z.number() }),
    run: service,
  };
  const stepUp = { ok: false, code: "step_up_required", stepUp: { method: "passkey", maxAgeSeconds: 300 } };

  it("refuses a session without recorded authentication, one 10 minutes old, and one by another method", async () => {
    for (const actor of [analyst(), analyst(signedIn("passkey", 10 * MINUTE)), analyst(signedIn("oidc", MINUTE))]) {
      const result = await runAction(approve, actor, { id: 1 });
      expect(result).toMatchObject(stepUp);
      expect(result).toMatchObject({ message: "This needs a passkey sign-in within the last 5 minutes." });
    }
    expect(service).not.toHaveBeenCalled();
  });

  it("accepts a passkey sign-in 1 minute ago; the system actor (jobs) is exempt", async () => {
    expect(await runAction(approve, analyst(signedIn("passkey", MINUTE)), { id: 1 })).toEqual({
      ok: true,
      data: "done",
    });
    expect(await runAction(approve, SYSTEM_ACTOR, { id: 1 })).toEqual({ ok: true, data: "done" });
  });

  it("checks the permission first and the assurance before the input", async () => {
    const executive = userActor(2, "Test executive", ["executive"], null, signedIn("passkey", MINUTE));
    expect(await runAction(approve, executive, { id: 1 })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runAction(approve, null, "garbage")).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await runAction(approve, analyst(), "garbage")).toMatchObject(stepUp);
    expect(await runAction(approve, analyst(signedIn("passkey", MINUTE)), "garbage")).toMatchObject({
      code: "invalid",
    });
  });

  it("answers a route with 401 and a JSON body that says what is needed", async () => {
    const route: RouteSpec = {
      name: "audit.verify",
      permission: "audit.read",
      assurance: { maxAgeSeconds: 3600 },
      handler: async () => Response.json({ ok: true }),
    };
    const stale = await runRoute(route, analyst(signedIn("oidc", 2 * 60 * MINUTE)), new Request("http://x/"), noParams);
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({
      ok: false,
      code: "step_up_required",
      message: "This needs a sign-in within the last hour.",
      stepUp: { maxAgeSeconds: 3600 },
    });
    const fresh = await runRoute(route, analyst(signedIn("oidc", MINUTE)), new Request("http://x/"), noParams);
    expect(fresh.status).toBe(200);
  });

  it("counts a passkey step-up in the session as a passkey authentication at that time, for 5 minutes", async () => {
    const demo = (stepUpMsAgo: number) =>
      analyst({ ...signedIn("demo", 60 * MINUTE), stepUpAt: new Date(Date.now() - stepUpMsAgo) });
    expect(await runAction({ ...approve, assurance: STEP_UP }, demo(MINUTE), { id: 1 })).toEqual({
      ok: true,
      data: "done",
    });
    expect(await runAction({ ...approve, assurance: STEP_UP }, demo(6 * MINUTE), { id: 1 })).toMatchObject(stepUp);
  });

  it("answers a service's own step-up demand (requireAssurance) like a declared one", async () => {
    const early: ActionSpec<z.ZodObject<{ id: z.ZodNumber }>, string> = {
      name: "review.campaign_close",
      permission: "audit.read",
      input: z.object({ id: z.number() }),
      run: async ({ ctx }) => {
        requireAssurance(ctx, STEP_UP);
        return "closed";
      },
    };
    expect(await runAction(early, analyst(signedIn("oidc", MINUTE)), { id: 1 })).toMatchObject(stepUp);
    expect(await runAction(early, analyst(signedIn("passkey", MINUTE)), { id: 1 })).toEqual({
      ok: true,
      data: "closed",
    });
    expect(await runAction(early, SYSTEM_ACTOR, { id: 1 })).toEqual({ ok: true, data: "closed" });
  });
});

describe("route schemas", () => {
  const seen: unknown[] = [];
  const route = routeSpec({
    name: "settings.update",
    permission: "leavers.manage",
    query: z.object({ limit: z.coerce.number().int().max(100).default(10) }),
    params: z.object({ id: z.coerce.number().int().positive() }),
    body: z.object({ note: z.string().min(1) }),
    async handler({ query, params, body }) {
      // Typed by the schemas: numbers after coercion, the body's string.
      const typed: [number, number, string] = [query.limit, params.id, body.note];
      seen.push(typed);
      return Response.json({ ok: true });
    },
  });
  const call = (actor: Actor | null, url: string, body: string, id = "12", type = "application/json") =>
    runRoute(route, actor, new Request(url, { method: "POST", body, headers: { "content-type": type } }), {
      params: Promise.resolve({ id }),
    });

  it("hands the handler the parsed query, params and JSON body", async () => {
    const res = await call(analyst(), "http://x/api/t/12?limit=5", JSON.stringify({ note: "hi" }));
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toEqual([5, 12, "hi"]);
  });

  it("answers 400 with the action's failure shape when any part is invalid", async () => {
    for (const [url, body, id] of [
      ["http://x/?limit=500", '{"note":"hi"}', "12"],
      ["http://x/", '{"note":"hi"}', "abc"],
      ["http://x/", '{"note":""}', "12"],
    ]) {
      const res = await call(analyst(), url, body, id);
      expect(res.status, `${url} ${body} ${id}`).toBe(400);
      const json = await res.json();
      expect(json).toMatchObject({ ok: false, code: "invalid", message: expect.stringMatching(/^Invalid input/) });
      expect(Object.keys(json.fieldErrors).length, `${url} ${body} ${id}`).toBe(1);
    }
    const broken = await call(analyst(), "http://x/", "{not json");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: "invalid", message: "The request body is not valid JSON." });
  });

  it("parses only after the permission check: a wrong role gets 403, not 400", async () => {
    const manager = userActor(3, "Test manager", ["manager"]);
    expect((await call(manager, "http://x/?limit=500", "{", "abc")).status).toBe(403);
    expect((await call(null, "http://x/?limit=500", "{", "abc")).status).toBe(401);
  });

  it("passes a body that is not JSON to the schema as text (e.g. a signed event token)", async () => {
    const raw = routeSpec({
      name: "settings.update",
      permission: "audit.read",
      body: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]*$/),
      handler: async ({ body }) => Response.json({ length: body.length }),
    });
    const req = (body: string) =>
      new Request("http://x/", { method: "POST", body, headers: { "content-type": "application/secevent+jwt" } });
    expect(await (await runRoute(raw, analyst(), req("a.b.c"), noParams)).json()).toEqual({ length: 5 });
    expect((await runRoute(raw, analyst(), req("not a jwt"), noParams)).status).toBe(400);
  });

  it("hides unexpected errors (500, no message) and lets Next.js signals through", async () => {
    const failing = (err: unknown): RouteSpec => ({
      name: "sla.update",
      permission: "audit.read",
      handler: async () => {
        throw err;
      },
    });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await runRoute(failing(new Error("secret detail")), analyst(), new Request("http://x/"), noParams);
    spy.mockRestore();
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret detail");
    const redirect = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/sign-in;307;" });
    await expect(runRoute(failing(redirect), analyst(), new Request("http://x/"), noParams)).rejects.toBe(redirect);
  });
});

describe("machine actors", () => {
  const scim: RouteSpec = {
    name: "audit.verify",
    permission: "scim.provision",
    actors: "machine",
    handler: async ({ ctx }) => Response.json({ client: ctx.actor.name }),
  };
  const consoleRoute: RouteSpec = {
    name: "people.export",
    permission: "audit.read",
    handler: async () => Response.json({ ok: true }),
  };
  /** A fake token store: "Bearer good" is the provisioning client, "Bearer siem" the stream receiver. */
  const tokens: Record<string, MachineActor> = { "Bearer good": provisioning, "Bearer siem": receiver };
  const resolver = vi.fn(async (request: Request) => tokens[request.headers.get("authorization") ?? ""] ?? null);
  const bearer = (token?: string) =>
    new Request("http://x/api/scim/v2/Users", { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("lets a machine client holding the permission reach a machine route through the resolver", async () => {
    const res = await runRoute(scim, null, bearer("good"), noParams, resolver);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ client: "HR provisioning" });
  });

  it("refuses a machine client without the permission (403) and a missing or unknown token (401, Bearer)", async () => {
    expect((await runRoute(scim, null, bearer("siem"), noParams, resolver)).status).toBe(403);
    for (const request of [bearer(), bearer("forged")]) {
      const res = await runRoute(scim, null, request, noParams, resolver);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
      expect(await res.json()).toMatchObject({ ok: false, code: "unauthenticated" });
    }
  });

  it("never takes a console session for a token: a signed-in admin without one gets 401", async () => {
    const admin = userActor(4, "Test admin", ["admin"]);
    const res = await runRoute(scim, admin, bearer(), noParams, resolver);
    expect(res.status).toBe(401);
  });

  it("answers 401 with the default resolver, which knows no tokens yet", async () => {
    const res = await runRoute(scim, null, bearer("good"), noParams);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  });

  it("keeps machine clients out of console routes and actions (403), and console routes ignore bearer tokens", async () => {
    for (const m of [provisioning, receiver]) {
      const res = await runRoute(consoleRoute, m, new Request("http://x/"), noParams);
      expect(res.status).toBe(403);
      expect(res.headers.get("www-authenticate")).toBeNull();
      const action: ActionSpec<z.ZodUnknown, string> = {
        name: "settings.update",
        permission: "audit.read",
        input: z.unknown(),
        run: async () => "ran",
      };
      expect(await runAction(action, m, {})).toMatchObject({ ok: false, code: "forbidden" });
    }
    resolver.mockClear();
    expect((await runRoute(consoleRoute, null, bearer("good"), noParams, resolver)).status).toBe(401);
    expect(resolver).not.toHaveBeenCalled();
  });
});
