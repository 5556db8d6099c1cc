import "server-only";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import {
  type Checkpoint,
  type CheckpointLog,
  type CheckpointStamp,
  parseCheckpoints,
  signCheckpoint,
} from "./checkpoint-format";
import {
  type Env,
  NO_KEY_MESSAGE,
  publicKeyPem,
  type SigningKey,
  signingKeyFrom,
  type VerifyKey,
  verifyKeyFrom,
} from "./checkpoint-key";
import { verifyAuditChain } from "./verify";

/**
 * Signed checkpoints of the audit chain's head (hardening finding 1). The database owner can disable the
 * append-only trigger, cut the chain or rewrite an event and recompute every later hash; the chain alone then still
 * verifies. A checkpoint — head id, head hash, event count, time, signed with an Ed25519 key the database never
 * sees — is appended to a file outside the database (LOCKSTEP_AUDIT_CHECKPOINT_FILE) by a periodic job and on
 * demand, served to monitors (GET /api/audit/checkpoints) and stamped on evidence reports; `npm run audit:verify`
 * holds the chain against them. What happens after the latest checkpoint is covered by the next one only.
 */
const DEFAULT_CHECKPOINT_FILE = ".data/audit-checkpoints.jsonl";

export function checkpointFile(env: Env = process.env): string {
  return path.resolve(
    /*turbopackIgnore: true*/ process.cwd(),
    env.LOCKSTEP_AUDIT_CHECKPOINT_FILE?.trim() || DEFAULT_CHECKPOINT_FILE,
  );
}

/** The file's checkpoints under the key; a missing file is an empty log (no checkpoint taken yet). */
export async function readCheckpoints(file: string, key: VerifyKey): Promise<CheckpointLog> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { valid: [], problems: [] };
    throw err;
  }
  return parseCheckpoints(text, key);
}

/**
 * The configured key's checkpoints from the configured file, or why there are none. A malformed key or an unreadable
 * file is said, not thrown, so the audit page, the endpoint and the reports answer with the reason instead of failing.
 */
export async function configuredCheckpoints(
  env: Env = process.env,
): Promise<CheckpointLog & { key: VerifyKey | null; note: string | null }> {
  let key: VerifyKey | null;
  try {
    key = verifyKeyFrom(env);
  } catch (err) {
    return {
      key: null,
      note: `Audit checkpoints are misconfigured: ${(err as Error).message}`,
      valid: [],
      problems: [],
    };
  }
  if (!key) return { key: null, note: NO_KEY_MESSAGE, valid: [], problems: [] };
  try {
    const log = await readCheckpoints(checkpointFile(env), key);
    return { key, note: log.valid.length ? null : "No checkpoint has been taken yet.", ...log };
  } catch (err) {
    return { key, note: `The checkpoint file cannot be read: ${(err as Error).message}`, valid: [], problems: [] };
  }
}

/**
 * The latest checkpoint the key signed: the stamp on evidence reports (which signed head of the audit chain was the
 * newest when the report was made), or why there is none.
 */
export async function latestCheckpoint(env: Env = process.env): Promise<CheckpointStamp> {
  const { valid, note } = await configuredCheckpoints(env);
  return { checkpoint: valid.at(-1) ?? null, note };
}

/** One line for the server's start-up log: whether checkpoints are signed, with which key, into which file. */
export function checkpointStatus(env: Env = process.env): string {
  try {
    const key = signingKeyFrom(env);
    return key ? `audit checkpoints signed by key ${key.keyId} into ${checkpointFile(env)}` : NO_KEY_MESSAGE;
  } catch (err) {
    return `Audit checkpoints are misconfigured: ${(err as Error).message}`;
  }
}

/** The stamp as one header line, for CSV downloads of evidence. */
export function stampHeader(stamp: CheckpointStamp): string {
  const cp = stamp.checkpoint;
  return cp ? `event=${cp.headId}; hash=${cp.headHash}; count=${cp.count}; at=${cp.at}; key=${cp.keyId}` : "none";
}

/** The chain contradicts the last checkpoint: the writer refuses to sign it (and says where). */
export class ChainContradictsCheckpoint extends Error {}

/**
 * Takes a checkpoint of the current head and appends it to the file. Before signing, the chain must still hold the
 * last checkpoint's event with its hash, and link and hash correctly from there to the head: a cut or rewritten
 * chain is never signed. Writes no audit event — a checkpoint changes nothing in the database, and an event per
 * checkpoint would move the head it just signed. Returns null for an empty chain.
 */
export async function takeCheckpoint(
  db: Db,
  opts: { key: SigningKey; file: string; now: Date },
): Promise<Checkpoint | null> {
  const log = await readCheckpoints(opts.file, opts.key);
  const last = [...log.valid].sort((a, b) => a.headId - b.headId).at(-1);
  if (last) {
    const [row] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.id, last.headId));
    if (row?.hash !== last.headHash) {
      throw new ChainContradictsCheckpoint(
        `event #${last.headId} ${row ? "no longer has the hash" : "is gone, though it is"} signed in the checkpoint of ${last.at}: the chain was ${row ? "rewritten" : "cut"}; run npm run audit:verify`,
      );
    }
  }
  const walked = await verifyAuditChain(db, {
    start: last && { id: last.headId, hash: last.headHash, count: last.count },
  });
  if (!walked.ok) {
    throw new ChainContradictsCheckpoint(`the chain breaks at event #${walked.brokenAt.id}: ${walked.brokenAt.reason}`);
  }
  if (walked.lastId === null || walked.lastHash === null) return null;
  const checkpoint = signCheckpoint(opts.key, {
    headId: walked.lastId,
    headHash: walked.lastHash,
    count: (last?.count ?? 0) + walked.checked,
    at: opts.now,
  });
  await mkdir(path.dirname(opts.file), { recursive: true });
  // One short line per append (O_APPEND): concurrent writers cannot interleave within a line.
  await appendFile(opts.file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o640 });
  return checkpoint;
}

/** The periodic job and `npm run audit:checkpoint`: a checkpoint with the environment's key and file. */
export async function checkpointNow(db: Db, now: Date, env: Env = process.env) {
  const key = signingKeyFrom(env);
  if (!key) return { checkpoint: null, note: NO_KEY_MESSAGE };
  const checkpoint = await takeCheckpoint(db, { key, file: checkpointFile(env), now });
  return { checkpoint, note: checkpoint ? null : "The audit chain is empty: nothing to checkpoint." };
}

/**
 * What `GET /api/audit/checkpoints` (console) and its machine twin for monitors answer: the newest checkpoints with
 * the public key that verifies them, read from the checkpoint file, never from the database. The caller authorizes.
 */
export async function checkpointFeed(limit: number) {
  const log = await configuredCheckpoints();
  const { key, note } = log;
  if (!key) return { enabled: false as const, note, checkpoints: [] };
  return {
    enabled: true as const,
    note,
    keyId: key.keyId,
    publicKey: publicKeyPem(key),
    // Lines in the file the key did not sign: someone wrote into it.
    problems: log.problems,
    checkpoints: log.valid.slice(-limit),
  };
}
