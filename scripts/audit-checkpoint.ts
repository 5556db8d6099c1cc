import { openDatabase } from "@/db/client";
import { ChainContradictsCheckpoint, checkpointFile, checkpointNow } from "@/lib/audit/checkpoint";
import { runCommand } from "./run-script";

/**
 * `npm run audit:checkpoint`: signs a checkpoint of the audit chain's head now (the periodic job does the same, on
 * LOCKSTEP_AUDIT_CHECKPOINT_CRON) and appends it to LOCKSTEP_AUDIT_CHECKPOINT_FILE. Refuses, exit 1, when the chain
 * contradicts the last checkpoint or no signing key is set.
 */
async function main() {
  const handle = await openDatabase();
  try {
    const made = await checkpointNow(handle.db, new Date()).catch((err: unknown) => {
      if (!(err instanceof ChainContradictsCheckpoint)) throw err;
      return { checkpoint: null, note: `AUDIT CHAIN TAMPERED — no checkpoint signed: ${err.message}` };
    });
    if (!made.checkpoint) {
      console.error(made.note);
      process.exitCode = 1;
      return;
    }
    const cp = made.checkpoint;
    console.log(`Checkpoint signed (key ${cp.keyId}): event #${cp.headId}, ${cp.count} events, ${cp.headHash}.`);
    console.log(`Appended to ${checkpointFile()}.`);
  } finally {
    await handle.close();
  }
}

runCommand(main, "The server's job takes one every LOCKSTEP_AUDIT_CHECKPOINT_CRON; or stop it first.");
