import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
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

export function acquirePgliteLock(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      const info: LockInfo = {
        pid: process.pid,
        command: process.argv.slice(1).join(" "),
        since: new Date().toISOString(),
      };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      const release = () => {
        if (readLock(file)?.pid === process.pid) unlinkSync(file);
      };
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readLock(file);
      if (holder?.pid === process.pid) return () => {};
      if (holder && isAlive(holder.pid)) {
        throw new DatabaseSetupError(
          `The embedded database ${dataDir} is in use by process ${holder.pid} (${holder.command}) since ${holder.since}. ` +
            `Stop that process, or point LOCKSTEP_DATA_DIR at another folder, or use DATABASE_URL for PostgreSQL.`,
        );
      }
      // The holder died without cleaning up (or the file is unreadable): the lock is stale.
      if (existsSync(file)) unlinkSync(file);
    }
  }
  throw new DatabaseSetupError(`Could not take the lock on ${file}; another process keeps recreating it.`);
}
