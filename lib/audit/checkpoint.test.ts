import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { asc, desc, gt, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as feedRoute } from "@/app/api/audit/checkpoints/feed/route";
import { GET as checkpointsRoute } from "@/app/api/audit/checkpoints/route";
import { GET as verifyRoute } from "@/app/api/audit/verify/route";
import { GET as leaverReport } from "@/app/api/leavers/[id]/report/route";
import type { Db } from "@/db/client";
import { auditEvents, leaverCases } from "@/db/schema";
import { type Actor, type MachineActor, machineActor } from "@/lib/authz";
import { secretFor } from "@/lib/connectors/http";
import { makeCtx, transact } from "@/lib/context";
import { type AnyRouteSpec, runRoute } from "@/lib/edge/core";
import { actorWith } from "@/lib/testing/actors";
import { rollback, testDb } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { GENESIS_HASH, hashEvent } from "./chain";
import {
  ChainContradictsCheckpoint,
  checkpointNow,
  checkpointStatus,
  latestCheckpoint,
  readCheckpoints,
  takeCheckpoint,
} from "./checkpoint";
import { type Checkpoint, parseCheckpoints } from "./checkpoint-format";
import { type SigningKey, signingKeyFrom, verifyKeyFrom } from "./checkpoint-key";
import { AUDIT_JOBS } from "./jobs";
import { verifyAuditChain } from "./verify";
import { writeAudit } from "./write";

let db: Db;
let analyst: Actor;
let key: SigningKey;
let keyB64: string;
const dir = mkdtempSync(path.join(tmpdir(), "lockstep-checkpoints-"));
let fileNo = 0;
const freshFile = () => path.join(dir, `checkpoints-${++fileNo}.jsonl`);

beforeAll(async () => {
  db = await testDb();
  analyst = await actorWith(db, ["analyst"]);
  const pair = generateKeyPairSync("ed25519");
  keyB64 = pair.privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
  key = signingKeyFrom({ LOCKSTEP_AUDIT_SIGNING_KEY: keyB64 })!;
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Three more events, as the app writes them. */
async function appendEvents(tx: Db, n = 3) {
  const written = [];
  for (let i = 0; i < n; i++) {
    written.push(
      await transact(makeCtx(analyst, tx, TEST_NOW), (ctx) =>
        writeAudit(ctx, { action: "settings.update", target: { type: "setting", id: `k${i}` }, after: { i } }),
      ),
    );
  }
  return written;
}

const checkpointsIn = async (file: string) => (await readCheckpoints(file, key)).valid;

/** What the owner can do with the trigger off: nothing in the database stops it. */
const bypassTrigger = (tx: Db) =>
  tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);

/** Rewrites every event after `afterId` so the chain is self-consistent again (the attacker's recompute). */
async function rechainAfter(tx: Db, afterId: number) {
  const [before] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .where(sql`${auditEvents.id} <= ${afterId}`)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  let prev = before?.hash ?? GENESIS_HASH;
  const rows = await tx.select().from(auditEvents).where(gt(auditEvents.id, afterId)).orderBy(asc(auditEvents.id));
  for (const row of rows) {
    const hash = hashEvent(row, prev);
    await tx.execute(sql`UPDATE audit_events SET prev_hash = ${prev}, hash = ${hash} WHERE id = ${row.id}`);
    prev = hash;
  }
}

describe("signed checkpoints", () => {
  it("sign the head, its hash and the event count; the chain verifies against them", async () => {
    await rollback(async (tx) => {
      const file = freshFile();
      const first = await takeCheckpoint(tx, { key, file, now: TEST_NOW });
      const written = await appendEvents(tx);
      const second = await takeCheckpoint(tx, { key, file, now: new Date(TEST_NOW.getTime() + 600_000) });
      expect(second).toMatchObject({ headId: written[2].id, headHash: written[2].hash, count: first!.count + 3 });
      const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
      expect(second!.count).toBe(n);
      expect(await checkpointsIn(file)).toEqual([first, second]);
      expect(await verifyAuditChain(tx, { checkpoints: await checkpointsIn(file) })).toMatchObject({
        ok: true,
        lastId: written[2].id,
        checkpoints: 2,
      });
    });
  });

  it("detect a truncation done as the owner with the trigger disabled, naming the first missing event", async () => {
    await rollback(async (tx) => {
      const file = freshFile();
      const kept = await appendEvents(tx, 1);
      const removed = await appendEvents(tx, 2);
      await takeCheckpoint(tx, { key, file, now: TEST_NOW });
      await bypassTrigger(tx);
      await tx.execute(sql`DELETE FROM audit_events WHERE id > ${kept[0].id}`);
      // The chain alone still verifies: nothing in it says events are gone.
      expect(await verifyAuditChain(tx)).toMatchObject({ ok: true, lastId: kept[0].id });
      const result = await verifyAuditChain(tx, { checkpoints: await checkpointsIn(file) });
      expect(result).toMatchObject({
        ok: false,
        brokenAt: { kind: "truncated", id: removed[1].id, after: kept[0].id },
      });
      expect(!result.ok && result.brokenAt.reason).toMatch(/the chain was cut short/);
      // And the writer refuses to sign the shortened chain.
      await expect(takeCheckpoint(tx, { key, file, now: TEST_NOW })).rejects.toThrow(ChainContradictsCheckpoint);
    });
  });

  it("detect a truncation followed by new events (the checkpoint's event is missing)", async () => {
    await rollback(async (tx) => {
      const file = freshFile();
      const kept = await appendEvents(tx, 1);
      const removed = await appendEvents(tx, 1);
      await takeCheckpoint(tx, { key, file, now: TEST_NOW });
      await bypassTrigger(tx);
      await tx.execute(sql`DELETE FROM audit_events WHERE id > ${kept[0].id}`);
      await appendEvents(tx, 2);
      expect(await verifyAuditChain(tx)).toMatchObject({ ok: true });
      expect(await verifyAuditChain(tx, { checkpoints: await checkpointsIn(file) })).toMatchObject({
        ok: false,
        brokenAt: { kind: "missing", id: removed[0].id },
      });
    });
  });

  it("detect one event changed and every later hash recomputed, within the range between two checkpoints", async () => {
    await rollback(async (tx) => {
      const file = freshFile();
      const before = await takeCheckpoint(tx, { key, file, now: TEST_NOW });
      const written = await appendEvents(tx);
      await takeCheckpoint(tx, { key, file, now: TEST_NOW });
      await appendEvents(tx, 2); // events after the last checkpoint, rechained too
      await bypassTrigger(tx);
      await tx.execute(sql`UPDATE audit_events SET target_label = 'quietly edited' WHERE id = ${written[1].id}`);
      await rechainAfter(tx, written[0].id);
      expect(await verifyAuditChain(tx)).toMatchObject({ ok: true });
      const result = await verifyAuditChain(tx, { checkpoints: await checkpointsIn(file), batchSize: 5 });
      expect(result).toMatchObject({
        ok: false,
        checked: expect.any(Number),
        brokenAt: { kind: "rewritten", id: written[2].id, after: before!.headId },
      });
      expect(!result.ok && result.brokenAt.reason).toMatch(/hash differs from the checkpoint/);
      await expect(takeCheckpoint(tx, { key, file, now: TEST_NOW })).rejects.toThrow(/no longer has the hash/);
    });
  });

  it("refuse checkpoint lines the key did not sign, or that are not checkpoints", async () => {
    const file = freshFile();
    const other = signingKeyFrom({
      LOCKSTEP_AUDIT_SIGNING_KEY: generateKeyPairSync("ed25519")
        .privateKey.export({ type: "pkcs8", format: "der" })
        .toString("base64"),
    })!;
    await rollback(async (tx) => {
      await takeCheckpoint(tx, { key: other, file, now: TEST_NOW });
      await takeCheckpoint(tx, { key, file, now: TEST_NOW });
    });
    const good = readFileSync(file, "utf8").trim().split("\n")[1];
    const edited = { ...JSON.parse(good), headHash: "a".repeat(64) };
    writeFileSync(file, `${readFileSync(file, "utf8")}${JSON.stringify(edited)}\nnot json\n`);
    const log = await readCheckpoints(file, key);
    expect(log.valid).toHaveLength(1);
    expect(log.problems).toEqual([
      `line 1: signed by another key (${other.keyId}, expected ${key.keyId})`,
      "line 3: the signature does not hold",
      "line 4: not JSON",
    ]);
  });
});

describe("checkpoint keys", () => {
  it("read PEM and base64 DER keys, and say what is wrong with a bad one", () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const fromPem = signingKeyFrom({ LOCKSTEP_AUDIT_SIGNING_KEY: pem })!;
    expect(fromPem.keyId).toMatch(/^[0-9a-f]{16}$/);
    const publicB64 = key.publicKey.export({ type: "spki", format: "der" }).toString("base64");
    expect(verifyKeyFrom({ LOCKSTEP_AUDIT_VERIFY_KEY: publicB64 })!.keyId).toBe(key.keyId);
    expect(verifyKeyFrom({ LOCKSTEP_AUDIT_SIGNING_KEY: keyB64 })!.keyId).toBe(key.keyId);
    expect(() => verifyKeyFrom({ LOCKSTEP_AUDIT_SIGNING_KEY: pem, LOCKSTEP_AUDIT_VERIFY_KEY: publicB64 })).toThrow(
      /not the public half/,
    );
    const x25519 = generateKeyPairSync("x25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    expect(() => signingKeyFrom({ LOCKSTEP_AUDIT_SIGNING_KEY: x25519 })).toThrow(/not an Ed25519 private key/);
    expect(() => signingKeyFrom({ LOCKSTEP_AUDIT_SIGNING_KEY: "not a key" })).toThrow(/LOCKSTEP_AUDIT_SIGNING_KEY/);
    expect(signingKeyFrom({})).toBeNull();
    expect(verifyKeyFrom({})).toBeNull();
  });

  it("cannot be named as a connector's secret, even by a config written straight into the database", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOCKSTEP_AUDIT_SIGNING_KEY: keyB64,
      LOCKSTEP_AUDIT_VERIFY_KEY: "x",
    };
    expect(() => secretFor("LOCKSTEP_AUDIT_SIGNING_KEY", env)).toThrow(/one of Lockstep's own settings, never sent/);
    expect(() => secretFor("LOCKSTEP_AUDIT_VERIFY_KEY", env)).toThrow(/own settings/);
    expect(secretFor("ACME_SCIM_TOKEN", { ...env, ACME_SCIM_TOKEN: "t0ken" })).toBe("t0ken");
  });

  it("without a key, the job and the command say checkpoints are off instead of pretending", async () => {
    const made = await checkpointNow(db, TEST_NOW, {});
    expect(made).toEqual({ checkpoint: null, note: expect.stringMatching(/LOCKSTEP_AUDIT_SIGNING_KEY is not set/) });
    // The server's start-up log says the same, or which key signs into which file.
    expect(checkpointStatus({})).toBe(made.note);
    expect(
      checkpointStatus({ LOCKSTEP_AUDIT_SIGNING_KEY: keyB64, LOCKSTEP_AUDIT_CHECKPOINT_FILE: "/x/cp.jsonl" }),
    ).toBe(`audit checkpoints signed by key ${key.keyId} into /x/cp.jsonl`);
  });
});

describe("the periodic job", () => {
  const runJob = async (tx: Db, log: string[]) =>
    AUDIT_JOBS["audit.checkpoint"](
      {},
      { db: tx, now: () => TEST_NOW, enqueue: async () => {}, log: (l) => log.push(l) },
    );

  it("appends a checkpoint to the configured file, and refuses loudly to sign a cut chain", async () => {
    const file = freshFile();
    vi.stubEnv("LOCKSTEP_AUDIT_SIGNING_KEY", keyB64);
    vi.stubEnv("LOCKSTEP_AUDIT_CHECKPOINT_FILE", file);
    await rollback(async (tx) => {
      const written = await appendEvents(tx, 2);
      const log: string[] = [];
      await runJob(tx, log);
      expect(await checkpointsIn(file)).toMatchObject([{ headId: written[1].id, headHash: written[1].hash }]);
      await bypassTrigger(tx);
      await tx.execute(sql`DELETE FROM audit_events WHERE id = ${written[1].id}`);
      await runJob(tx, log);
      expect(log[0]).toMatch(/^audit checkpoint: event #\d+/);
      expect(log[1]).toMatch(/^AUDIT CHAIN TAMPERED — no checkpoint signed: event #\d+ is gone/);
      expect(await checkpointsIn(file)).toHaveLength(1);
    });
  });
});

describe("GET /api/audit/checkpoints", () => {
  const call = (actor: Actor | null, query = "") =>
    runRoute(
      checkpointsRoute.spec as AnyRouteSpec,
      actor,
      new Request(`http://localhost/api/audit/checkpoints${query}`),
      {
        params: Promise.resolve({}),
      },
    );

  it("serves the signed checkpoints and the public key to holders of audit.read, and refuses others", async () => {
    const file = freshFile();
    vi.stubEnv("LOCKSTEP_AUDIT_SIGNING_KEY", keyB64);
    vi.stubEnv("LOCKSTEP_AUDIT_CHECKPOINT_FILE", file);
    await rollback(async (tx) => {
      await takeCheckpoint(tx, { key, file, now: TEST_NOW });
      await appendEvents(tx, 1);
      await takeCheckpoint(tx, { key, file, now: TEST_NOW });
    });
    const res = await call(analyst);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ enabled: true, keyId: key.keyId, problems: [] });
    expect(body.checkpoints).toHaveLength(2);
    // What a monitor does with the answer: verify each checkpoint with the published key.
    const published = verifyKeyFrom({ LOCKSTEP_AUDIT_VERIFY_KEY: body.publicKey })!;
    const relayed = body.checkpoints.map((c: Checkpoint) => JSON.stringify(c)).join("\n");
    expect(parseCheckpoints(relayed, published).valid).toHaveLength(2);
    expect((await (await call(analyst, "?limit=1")).json()).checkpoints).toEqual(body.checkpoints.slice(1));
    expect((await call(await actorWith(db, ["admin"]))).status).toBe(200);
    expect((await call(analyst, "?limit=0")).status).toBe(400);
    for (const role of ["manager", "executive", "approver"] as const) {
      expect((await call(await actorWith(db, [role]))).status, role).toBe(403);
    }
    expect((await call(null)).status).toBe(401);

    // The same feed for an external monitor's machine token; a provisioning token (or none) is refused there.
    // (The bearer token resolves to the given machine client, as the edge's resolver would.)
    const feed = (machine: MachineActor | null, session: Actor | null = null) =>
      runRoute(
        feedRoute.spec as AnyRouteSpec,
        session,
        new Request("http://localhost/api/audit/checkpoints/feed?limit=5"),
        { params: Promise.resolve({}) },
        async () => machine,
      );
    const monitored = await feed(machineActor(1, "SIEM poller", "audit_monitor"));
    expect(monitored.status).toBe(200);
    expect((await monitored.json()).checkpoints).toEqual(body.checkpoints);
    expect((await feed(machineActor(2, "Entra ID", "provisioning"))).status).toBe(403);
    expect((await feed(null, analyst)).status).toBe(401);
  });

  it("says checkpoints are off when no key is set", async () => {
    vi.stubEnv("LOCKSTEP_AUDIT_SIGNING_KEY", "");
    vi.stubEnv("LOCKSTEP_AUDIT_VERIFY_KEY", "");
    const res = await call(analyst);
    expect(await res.json()).toMatchObject({ enabled: false, checkpoints: [], note: expect.stringMatching(/off/) });
    // A malformed key is a reason given, not a failure (the audit page and reports keep working).
    vi.stubEnv("LOCKSTEP_AUDIT_SIGNING_KEY", "not a key");
    const misconfigured = await call(analyst);
    expect(misconfigured.status).toBe(200);
    expect(await misconfigured.json()).toMatchObject({ enabled: false, note: expect.stringMatching(/misconfigured/) });
  });
});

describe("evidence reports", () => {
  it("are stamped with the latest signed checkpoint, or say why there is none", async () => {
    const file = freshFile();
    vi.stubEnv("LOCKSTEP_AUDIT_SIGNING_KEY", keyB64);
    vi.stubEnv("LOCKSTEP_AUDIT_CHECKPOINT_FILE", file);
    expect(await latestCheckpoint()).toEqual({ checkpoint: null, note: "No checkpoint has been taken yet." });
    const taken = await rollback(async (tx) => {
      await takeCheckpoint(tx, { key, file, now: TEST_NOW });
      await appendEvents(tx, 1);
      return takeCheckpoint(tx, { key, file, now: new Date(TEST_NOW.getTime() + 60_000) });
    });
    expect(await latestCheckpoint()).toEqual({ checkpoint: taken, note: null });
    const [leaverCase] = await db.select({ id: leaverCases.id }).from(leaverCases).limit(1);
    const res = await runRoute(
      leaverReport.spec as AnyRouteSpec,
      analyst,
      new Request(`http://localhost/api/leavers/${leaverCase.id}/report`),
      { params: Promise.resolve({ id: String(leaverCase.id) }) },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-lockstep-audit-checkpoint")).toBe(
      `event=${taken!.headId}; hash=${taken!.headHash}; count=${taken!.count}; at=${taken!.at}; key=${key.keyId}`,
    );
    await res.text();
    vi.stubEnv("LOCKSTEP_AUDIT_SIGNING_KEY", "not a key");
    expect(await latestCheckpoint()).toEqual({
      checkpoint: null,
      note: expect.stringMatching(
        /^Audit checkpoints are misconfigured: LOCKSTEP_AUDIT_SIGNING_KEY is not an Ed25519 private key/,
      ),
    });
  });
});

describe("GET /api/audit/verify (the Audit page)", () => {
  it("holds the chain against the checkpoints and names lines of the file the key did not sign", async () => {
    const file = freshFile();
    vi.stubEnv("LOCKSTEP_AUDIT_SIGNING_KEY", keyB64);
    vi.stubEnv("LOCKSTEP_AUDIT_CHECKPOINT_FILE", file);
    const cp = await takeCheckpoint(db, { key, file, now: TEST_NOW });
    writeFileSync(file, `${readFileSync(file, "utf8")}${JSON.stringify({ ...cp, count: 1 })}\n`);
    const res = await runRoute(
      verifyRoute.spec as AnyRouteSpec,
      analyst,
      new Request("http://localhost/api/audit/verify"),
      {
        params: Promise.resolve({}),
      },
    );
    expect(await res.json()).toMatchObject({
      ok: true,
      checkpoints: 1,
      signedBy: key.keyId,
      checkpointProblems: ["line 2: the signature does not hold"],
    });
  });
});
