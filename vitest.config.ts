import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * On PostgreSQL the files of one worker share its database. The SCIM endpoint tests drive the real route handlers, which write
 * through the process-wide handle and so commit (people, leaver cases with today's timestamps); they run last, so
 * files comparing figures "as of the test clock" (the dashboard's snapshot) never see them.
 */
class CommittingFilesLast extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const commits = (f: TestSpecification) => f.moduleId.includes("/app/scim/");
    return [...sorted.filter((f) => !commits(f)), ...sorted.filter(commits)];
  }
}

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // `server-only` throws outside the react-server condition; in tests it is an empty module.
      "server-only": path.resolve(__dirname, "lib/testing/empty-module.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["{lib,db,app,components,scripts}/**/*.test.ts"],
    globalSetup: ["lib/testing/global-setup.ts"],
    setupFiles: ["lib/testing/worker-database.ts"],
    pool: "forks",
    // One test person makes many exports and imports in a minute; lib/edge/rate-limit.test.ts sets its own limits.
    env: { LOCKSTEP_RATE_LIMITS: "sign_in=100000/60,export=100000/60,import=100000/60" },
    // next-auth imports "next/server" without an extension, which plain Node ESM cannot resolve; let Vite do it.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own database clone (PGlite), or each worker its own copy of the PostgreSQL test database
    // (lib/testing/worker-database.ts), so files run side by side (2 cores here).
    maxWorkers: 2,
    sequence: { sequencer: CommittingFilesLast },
  },
});
