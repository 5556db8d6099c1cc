/**
 * Runs once when the Next.js server starts: open the database (a clear one-line error and exit on a bad
 * DATABASE_URL or a locked PGlite folder) and apply pending migrations.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDatabase } = await import("./db/client");
  const { migrateDatabase } = await import("./db/migrate");
  const { DatabaseSetupError } = await import("./db/errors");
  try {
    const handle = await getDatabase();
    await migrateDatabase(handle);
    console.log(`[lockstep] database ready: ${handle.description}`);
  } catch (err) {
    if (err instanceof DatabaseSetupError) {
      console.error(`lockstep: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
