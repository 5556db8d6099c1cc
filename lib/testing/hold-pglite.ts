import { openPglite } from "@/db/client";
import { runScript } from "@/scripts/run-script";

/**
 * Test helper process: opens the PGlite folder given as argument, prints `ready <pid>` and holds it until
 * SIGTERM (then closes cleanly). db/client.test.ts uses it as "another process" on the same folder.
 */
runScript(async () => {
  const handle = await openPglite(process.argv[2]);
  console.log(`ready ${process.pid}`);
  const alive = setInterval(() => {}, 60_000); // a pending promise alone would let the process exit
  await new Promise<void>((resolve) => process.once("SIGTERM", () => resolve()));
  clearInterval(alive);
  await handle.close();
});
