import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import { applyFault, type Faults, newFaults, type PeerMode } from "./faults";

/**
 * A real SCIM 2.0 service provider (scimmy + scimmy-routers + express) holding the users and groups of a
 * "connected app", for tests and the e2e run. SCIMMY is a process-wide singleton, so one peer per process.
 */
export type ScimUserRecord = {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  displayName?: string;
  emails?: { value: string; primary?: boolean }[];
};
export type ScimGroupRecord = { id: string; displayName: string; members: { value: string; display?: string }[] };

export type ScimPeer = {
  url: string;
  token: string;
  users: Map<string, ScimUserRecord>;
  groups: Map<string, ScimGroupRecord>;
  faults: Faults;
  addUser: (u: Omit<ScimUserRecord, "id" | "active"> & { active?: boolean }) => ScimUserRecord;
  addGroup: (displayName: string, memberIds: string[]) => ScimGroupRecord;
  userByName: (userName: string) => ScimUserRecord | undefined;
  setMode: (mode: PeerMode, slowMs?: number) => void;
  /** Answer `n` more requests, then go down. */
  failAfter: (n: number) => void;
  stop: () => Promise<void>;
};

type Store = { users: Map<string, ScimUserRecord>; groups: Map<string, ScimGroupRecord> };
const g = globalThis as unknown as { __scimStore?: Store; __scimDeclared?: boolean };

const notFound = (id: string) => new SCIMMY.Types.Error(404, null as never, `Resource ${id} not found`);

function declareOnce(): void {
  if (g.__scimDeclared) return;
  g.__scimDeclared = true;
  const store = () => g.__scimStore!;
  const users = SCIMMY.Resources.declare(SCIMMY.Resources.User) as typeof SCIMMY.Resources.User;
  users
    .egress((resource: { id?: string; filter?: { match: (v: unknown[]) => unknown[] } }) => {
      if (resource.id) {
        const u = store().users.get(resource.id);
        if (!u) throw notFound(resource.id);
        return u as never;
      }
      const all = [...store().users.values()];
      return (resource.filter ? resource.filter.match(all) : all) as never;
    })
    .ingress((resource: { id?: string }, instance: object) => {
      const id = resource.id ?? randomUUID();
      if (resource.id && !store().users.has(id)) throw notFound(id);
      const record = {
        ...(store().users.get(id) ?? {}),
        ...JSON.parse(JSON.stringify(instance)),
        id,
      } as ScimUserRecord;
      record.active = record.active !== false;
      store().users.set(id, record);
      return record as never;
    })
    .degress((resource: { id?: string }) => {
      if (!resource.id || !store().users.delete(resource.id)) throw notFound(resource.id ?? "");
    });
  const groups = SCIMMY.Resources.declare(SCIMMY.Resources.Group) as typeof SCIMMY.Resources.Group;
  groups
    .egress((resource: { id?: string; filter?: { match: (v: unknown[]) => unknown[] } }) => {
      if (resource.id) {
        const gr = store().groups.get(resource.id);
        if (!gr) throw notFound(resource.id);
        return gr as never;
      }
      const all = [...store().groups.values()];
      return (resource.filter ? resource.filter.match(all) : all) as never;
    })
    .ingress((resource: { id?: string }, instance: object) => {
      const id = resource.id ?? randomUUID();
      const plain = JSON.parse(JSON.stringify(instance)) as ScimGroupRecord;
      const record = {
        ...(store().groups.get(id) ?? {}),
        ...plain,
        members: plain.members ?? [],
        id,
      } as ScimGroupRecord;
      store().groups.set(id, record);
      return record as never;
    })
    .degress((resource: { id?: string }) => {
      if (!resource.id || !store().groups.delete(resource.id)) throw notFound(resource.id ?? "");
    });
}

/**
 * `fastLists`: unfiltered list reads (`GET /Users?startIndex&count`, the same for Groups) are answered from the
 * store's slice without building every resource through scimmy, which costs the whole list per page — a
 * 100k-user reconciliation would read 200 pages of 100k each. Filtered reads still go through scimmy.
 */
type PeerOptions = { token?: string; port?: number; fastLists?: boolean };

const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

function fastList(store: () => Store): express.RequestHandler {
  return (req, res, next) => {
    const resource = req.path === "/Users" ? "users" : req.path === "/Groups" ? "groups" : null;
    if (req.method !== "GET" || !resource || req.query.filter !== undefined || req.query.sortBy !== undefined)
      return next();
    const all = [...(store()[resource] as Map<string, ScimUserRecord | ScimGroupRecord>).values()];
    const startIndex = Math.max(1, Number(req.query.startIndex ?? 1) || 1);
    const count = Math.max(0, Number(req.query.count ?? 100) || 0);
    const schema =
      resource === "users"
        ? "urn:ietf:params:scim:schemas:core:2.0:User"
        : "urn:ietf:params:scim:schemas:core:2.0:Group";
    const page = all.slice(startIndex - 1, startIndex - 1 + count).map((r) => ({ schemas: [schema], ...r }));
    res.type("application/scim+json").send(
      JSON.stringify({
        schemas: [LIST_RESPONSE],
        totalResults: all.length,
        startIndex,
        itemsPerPage: page.length,
        Resources: page,
      }),
    );
  };
}

export async function startScimPeer(opts: PeerOptions = {}): Promise<ScimPeer> {
  const token = opts.token ?? randomUUID();
  const store: Store = { users: new Map(), groups: new Map() };
  g.__scimStore = store;
  declareOnce();
  const faults = newFaults();
  const app = express();
  app.use(async (req, res, next) => ((await applyFault(faults, req, res, true)) ? undefined : next()));
  // Test control: switch faults from another process (the e2e journey).
  app.post("/_control/mode", express.json(), (req, res) => {
    faults.mode = req.body.mode;
    if (req.body.slowMs) faults.slowMs = Number(req.body.slowMs);
    res.json({ mode: faults.mode });
  });
  if (opts.fastLists) {
    app.use("/scim/v2", (req, res, next) =>
      req.header("authorization") === `Bearer ${token}` ? fastList(() => g.__scimStore!)(req, res, next) : next(),
    );
  }
  app.use(
    "/scim/v2",
    new SCIMMYRouters({
      type: "bearer",
      docUri: "https://example.test/scim-peer",
      handler: (request: express.Request) => {
        if (request.header("authorization") !== `Bearer ${token}`) throw new Error("Bearer token rejected");
        return "lockstep";
      },
    }) as unknown as express.Router,
  );
  const server: Server = createServer(app);
  // Longer than any pause in a test: a socket the server closes while the client reuses it reads as ECONNRESET.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  return {
    url,
    token,
    users: store.users,
    groups: store.groups,
    faults,
    addUser(u) {
      const record: ScimUserRecord = { ...u, id: randomUUID(), active: u.active ?? true };
      store.users.set(record.id, record);
      return record;
    },
    addGroup(displayName, memberIds) {
      const record: ScimGroupRecord = { id: randomUUID(), displayName, members: memberIds.map((value) => ({ value })) };
      store.groups.set(record.id, record);
      return record;
    },
    userByName: (userName) =>
      [...store.users.values()].find((u) => u.userName.toLowerCase() === userName.toLowerCase()),
    setMode(mode, slowMs) {
      faults.mode = mode;
      faults.downAfter = undefined;
      if (slowMs) faults.slowMs = slowMs;
    },
    failAfter(n) {
      faults.downAfter = n;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
