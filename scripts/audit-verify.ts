import { openDatabase } from "@/db/client";
import { verifyAuditChain } from "@/lib/audit/verify";
import { runScript } from "./run-script";

runScript(async () => {
  const handle = await openDatabase();
  try {
    const result = await verifyAuditChain(handle.db, {
      onProgress: (n) => process.stdout.write(`\rchecked ${n.toLocaleString("en-US")} events`),
    });
    process.stdout.write("\n");
    if (result.ok) {
      console.log(`Audit chain verifies: ${result.checked.toLocaleString("en-US")} events, no broken link.`);
    } else {
      console.error(
        `Audit chain BROKEN at event ${result.brokenAt.id}: ${result.brokenAt.reason} (${result.checked} events verified before it).`,
      );
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
  }
});
