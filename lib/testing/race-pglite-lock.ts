import { existsSync } from "node:fs";
import { acquirePgliteLock } from "@/db/pglite-lock";

/**
 * Test helper process for the lock race (db/client.test.ts): prints `ready` once loaded, spins until the go file
 * exists (so that every racer tries at the same moment however slowly each one started), then takes the lock on the
 * folder; prints `held` (and holds it 3 s, past the others' tries) or `refused`.
 */
const [dir, goFile] = process.argv.slice(2);
console.log("ready");
while (!existsSync(goFile)) {
  // spin: a timer would add milliseconds of jitter between the racers
}
try {
  const release = acquirePgliteLock(dir);
  console.log("held");
  setTimeout(() => {
    release();
    process.exit(0);
  }, 3000);
} catch {
  console.log("refused");
}
