import { acquirePgliteLock } from "@/db/pglite-lock";

/**
 * Test helper process for the lock race (db/client.test.ts): waits until the given instant, so that several of these
 * try at the same moment, then takes the lock on the folder; prints `held` (and holds it 1.5 s) or `refused`.
 */
const [dir, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // spin: a timer would add milliseconds of jitter between the racers
}
try {
  const release = acquirePgliteLock(dir);
  console.log("held");
  setTimeout(() => {
    release();
    process.exit(0);
  }, 1500);
} catch {
  console.log("refused");
}
