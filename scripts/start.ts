import "./load-env";
import { spawn, spawnSync } from "node:child_process";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { isDatabaseEmpty, seed } from "@/db/seed";
import { demoMode } from "@/lib/auth/config";
import { runScript } from "./run-script";

/**
 * `npm start`: build, migrate, seed the demo organisation into an empty embedded database, serve.
 * Demo sign-in is on by default only for the embedded database (set LOCKSTEP_DEMO=0 to turn it off); asked for on
 * PostgreSQL it is refused unless LOCKSTEP_DEMO_THROWAWAY_DB=1 (lib/auth/config.ts), and start-up says which.
 */
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
// This script runs under `tsx --conditions=react-server` (so lib's `import "server-only"` loads); that flag stays in
// this process. `next build` / `next start` pick export conditions per bundle themselves: a react-server condition
// reaching them through NODE_OPTIONS would hand client bundles React's server build, so it is stripped here.
const nodeOptions = withoutReactServer(env.NODE_OPTIONS ?? "");
if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
else delete env.NODE_OPTIONS;
if (env.LOCKSTEP_DEMO === undefined && !env.DATABASE_URL) env.LOCKSTEP_DEMO = "1";
const skipBuild = process.argv.includes("--no-build");

function withoutReactServer(options: string): string {
  return options
    .replace(/(?:--conditions|-C)(?:=|\s+)react-server(?=\s|$)/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

runScript(async () => {
  if (!skipBuild) run("npx", ["next", "build"]);

  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    if (await isDatabaseEmpty(handle.db)) {
      if (handle.driver === "pglite") {
        console.log("Empty embedded database: seeding the demo organisation…");
        await seed(handle.db, { scale: "demo", log: (line) => console.log(`  ${line}`) });
      } else {
        console.log("The PostgreSQL database is empty; load data with `npm run seed -- --scale demo|large`.");
      }
    }
  } finally {
    await handle.close();
  }

  const port = env.PORT ?? "3000";
  const demo = demoMode(env);
  if (demo.refused) console.warn(`\n${demo.refused}`);
  console.log(
    `\nLockstep: http://localhost:${port}${demo.enabled ? "  (demo sign-in on: listed personas only)" : ""}\n`,
  );
  // Next.js behind our own HTTP server, which decides which client headers to believe (scripts/server.ts).
  const server = spawn("npx", ["tsx", "scripts/server.ts"], { stdio: "inherit", env: { ...env, PORT: port } });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  await new Promise<void>((resolve) =>
    server.on("exit", (code) => {
      process.exitCode = code ?? 0;
      resolve();
    }),
  );
});
