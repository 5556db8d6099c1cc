import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { runScript } from "./run-script";

runScript(async () => {
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    console.log(`Migrations applied to ${handle.description}.`);
  } finally {
    await handle.close();
  }
});
