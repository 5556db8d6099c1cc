import { testDatabaseUrl, workerDatabaseUrl } from "./env";

// vitest setup file: runs in each worker before a test file is imported, so everything the file opens (the test
// handle, the edge's process-wide handle, child processes it spawns) uses this worker's copy of the test database.
// The run's own URL is kept aside, so a worker that runs several files does not suffix it twice.
const base = process.env.LOCKSTEP_TEST_DATABASE_URL ?? testDatabaseUrl();
if (base) {
  process.env.LOCKSTEP_TEST_DATABASE_URL = base;
  process.env.DATABASE_URL = workerDatabaseUrl(base, process.env.VITEST_POOL_ID);
}
