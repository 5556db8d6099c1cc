import { openDatabase } from "@/db/client";
import { checkpointFile, readCheckpoints } from "@/lib/audit/checkpoint";
import { NO_KEY_MESSAGE, verifyKeyFrom } from "@/lib/audit/checkpoint-key";
import { verifyAuditChain } from "@/lib/audit/verify";
import { runCommand, Usage } from "./run-script";

/**
 * `npm run audit:verify [-- --checkpoints <file>]`: walks the audit chain, recomputing every hash, and holds it against
 * the signed checkpoints (LOCKSTEP_AUDIT_CHECKPOINT_FILE, or a copy an auditor fetched from the endpoint or a monitor),
 * verified with LOCKSTEP_AUDIT_VERIFY_KEY (or the signing key). Exit 1 on a broken link, a checkpoint line that is
 * not signed by the key, a rewritten or missing event, or a cut chain.
 */
const USAGE = "Usage: npm run audit:verify [-- --checkpoints <file>]";

function parse(argv: string[]): { file?: string } {
  if (argv.length === 0) return {};
  const [flag, inline] = argv[0].split(/=(.*)/s, 2);
  const file = inline ?? argv[1];
  if (flag !== "--checkpoints" || !file || argv.length > (inline === undefined ? 2 : 1)) throw new Usage(USAGE);
  return { file };
}

async function main() {
  const args = parse(process.argv.slice(2));
  const key = verifyKeyFrom();
  const file = args.file ?? checkpointFile();
  const log = key ? await readCheckpoints(file, key) : { valid: [], problems: [] };
  if (!key) console.warn(`${NO_KEY_MESSAGE} Checking the chain's own links only.`);
  else console.log(`Checkpoints: ${log.valid.length} signed by key ${key.keyId} in ${file}.`);
  for (const problem of log.problems) console.error(`Checkpoint file ${file}, ${problem}.`);
  const handle = await openDatabase();
  try {
    const result = await verifyAuditChain(handle.db, {
      checkpoints: log.valid,
      onProgress: (n) => process.stdout.write(`\rchecked ${n.toLocaleString("en-US")} events`),
    });
    process.stdout.write("\n");
    if (result.ok) {
      const latest = log.valid.at(-1);
      const matched = `${result.checkpoints} checkpoint${result.checkpoints === 1 ? "" : "s"} match`;
      console.log(
        `Audit chain verifies: ${result.checked.toLocaleString("en-US")} events, no broken link` +
          (key ? `, ${matched}${latest ? ` (latest ${latest.at}, event #${latest.headId})` : ""}.` : "."),
      );
    } else {
      const b = result.brokenAt;
      const since = `#${b.after ?? 0}`;
      const headline = {
        link: `BROKEN at event #${b.id}`,
        contents: `BROKEN at event #${b.id}`,
        rewritten: `REWRITTEN: the first changed event is after ${since}, at or before #${b.id}`,
        missing: `CUT: events after ${since} were deleted (event #${b.id} is gone)`,
        truncated: `TRUNCATED after event ${since}`,
      }[b.kind];
      console.error(`Audit chain ${headline}: ${b.reason}.`);
      console.error(`${result.checked.toLocaleString("en-US")} events verified before it.`);
    }
    if (log.problems.length) {
      console.error(
        `FAILED: ${log.problems.length} line${log.problems.length === 1 ? "" : "s"} of the checkpoint file not signed by the key: it was written to.`,
      );
    }
    if (!result.ok || log.problems.length) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

runCommand(main, "Stop the server first, or verify on the Audit page.");
