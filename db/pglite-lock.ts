import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { DatabaseSetupError } from "./errors";

/**
 * PGlite has no cross-process locking: two processes on one data folder silently lose writes
 * (docs/TOOLCHAIN.md #5). We hold an exclusive lock file with our pid and refuse a second opener.
 */
type LockInfo = { pid: number; command: string; since: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/**
 * Takes the lock without a window: the lock's content is written to a private temporary file first and then linked
 * into place (link(2) fails if the name exists), so a lock file is never seen empty. An earlier version created the
 * file and wrote it afterwards; a process starting at the same moment read it empty, judged it stale, removed it and
 * took the lock too (hardening finding 10: both processes held it in 5 of 25 tries).
 */
export function acquirePgliteLock(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  const info: LockInfo = {
    pid: process.pid,
    command: process.argv.slice(1).join(" "),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
    writeFileSync(temp, JSON.stringify(info), { mode: 0o600, flag: "wx" });
    try {
      linkSync(temp, file);
      const release = () => {
        if (readLock(file)?.pid === process.pid) unlinkSync(file);
      };
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      unlinkSync(temp);
    }
    const holder = readLock(file);
    if (holder?.pid === process.pid) return () => {};
    if (holder && isAlive(holder.pid)) throw inUse(dataDir, holder);
    removeStale(file, holder, dataDir);
  }
  throw new DatabaseSetupError(`Could not take the lock on ${file}; another process keeps recreating it.`);
}

function inUse(dataDir: string, holder: LockInfo): DatabaseSetupError {
  return new DatabaseSetupError(
    `The embedded database ${dataDir} is in use by process ${holder.pid} (${holder.command}) since ${holder.since}. ` +
      `Stop that process, or point LOCKSTEP_DATA_DIR at another folder, or use DATABASE_URL for PostgreSQL.`,
  );
}

/**
 * The holder died without cleaning up (or the file is unreadable). Two processes may judge it stale at once; each
 * moves the file aside under its own name (rename is atomic, only one of them gets it) and checks that what it moved
 * is the stale lock it judged — not a live lock the other one took in between, which goes straight back.
 */
function removeStale(file: string, judged: LockInfo | null, dataDir: string): void {
  const aside = `${file}.stale.${process.pid}.${randomBytes(6).toString("hex")}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // someone else moved it: try again
    throw err;
  }
  const moved = readLock(aside);
  if (moved && moved.pid !== judged?.pid && isAlive(moved.pid)) {
    try {
      linkSync(aside, file);
    } catch {
      // A third process took the name meanwhile; it holds the lock now and the next attempt will say so.
    }
    unlinkSync(aside);
    throw inUse(dataDir, moved);
  }
  unlinkSync(aside);
}
