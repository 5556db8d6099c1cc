import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";

/**
 * Everything the journeys run against, started fresh for each run and stopped afterwards:
 *   1. a database: PGlite in a temp folder, or (DATABASE_URL set) a separate `<name>_e2e` PostgreSQL
 *      database, dropped and created — then migrated and seeded with the demo organisation;
 *   2. a local OpenID provider (oidc-provider) with a client for this app;
 *   3. `next build` when the build is missing or older than the sources, then the server (scripts/server.ts: Next.js behind the proxy-aware HTTP server) on a free port.
 * Servers run in their own process groups (detached = setsid) and are stopped by group (docs/TOOLCHAIN.md #9).
 * Tests find the app through LOCKSTEP_E2E_BASE_URL and their files through LOCKSTEP_E2E_STATE_DIR.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const OIDC_CLIENT_ID = "lockstep-e2e";
// NEXT_DIST_DIR (next.config.js) gives parallel runs their own build folder; `next build` then adds that
// folder's types to tsconfig.json, so the default stays `.next`.
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "lockstep-e2e-"));
  const servers = new ServerGroups(stateDir);
  try {
    const [appPort, oidcPort] = await freePorts(2);
    const baseURL = `http://localhost:${appPort}`;

    const dbEnv = await timed("database", () => prepareDatabase(stateDir));

    // Leaver journeys: a real SCIM server and OAuth authorization server, connected to the seeded org.
    await timed("SCIM and OAuth peers", () =>
      servers.start("peers", "npx", ["tsx", "lib/testing/peers/serve.ts"], {
        env: { PEERS_STATE_DIR: stateDir },
        ready: (out) => out.includes("ready scim="),
      }),
    );
    const leaverEnv = await timed("leaver peers connected", () => connectLeaverPeers(stateDir, dbEnv));
    // Reconciliation journey: a SCIM peer of its own, so no other journey's users show up in its findings.
    await timed("reconciliation peer", () =>
      servers.start("recon-peer", "npx", ["tsx", "lib/testing/peers/serve-scim.ts"], {
        env: { PEERS_STATE_DIR: stateDir, PEERS_FILE: "recon-peer.json" },
        ready: (out) => out.includes("ready scim="),
      }),
    );
    const reconToken = JSON.parse(readFileSync(path.join(stateDir, "recon-peer.json"), "utf8")).token as string;
    leaverEnv.LOCKSTEP_TEST_RECON_SCIM_TOKEN = reconToken;
    await timed("reconciliation peer connected", async () =>
      runScript("e2e/support/connect-reconciliation.ts", { ...dbEnv, LOCKSTEP_E2E_STATE_DIR: stateDir }),
    );
    // API-scope journey: the Customer Lookup API's tokens live on the same OAuth server (same key, same secret env).
    await timed("API-scope issuer connected", async () =>
      runScript("e2e/support/connect-api-scopes.ts", { ...dbEnv, ...leaverEnv, LOCKSTEP_E2E_STATE_DIR: stateDir }),
    );
    // Review journey: access at the SCIM peer and an RFC 7592-managed client at the OAuth peer, in Maya's team.
    await timed("review peers connected", async () =>
      runScript("e2e/support/connect-reviews.ts", { ...dbEnv, ...leaverEnv, LOCKSTEP_E2E_STATE_DIR: stateDir }),
    );
    // Administration journey: a second administrator with passkeys of their own.
    await timed("second administrator", async () =>
      runScript("e2e/support/connect-admin.ts", { ...dbEnv, LOCKSTEP_E2E_STATE_DIR: stateDir }),
    );

    // Break-glass journey: its subject's plain account at the SCIM peer (emergency access adds the admin group).
    await timed("break-glass peer connected", async () =>
      runScript("e2e/support/connect-break-glass.ts", { ...dbEnv, ...leaverEnv, LOCKSTEP_E2E_STATE_DIR: stateDir }),
    );

    const oidcSecret = randomBytes(24).toString("base64url");
    await timed("OpenID provider", () =>
      servers.start("oidc", "npx", ["tsx", "e2e/support/oidc-provider.ts"], {
        env: {
          OIDC_PORT: String(oidcPort),
          OIDC_CLIENT_ID,
          OIDC_CLIENT_SECRET: oidcSecret,
          OIDC_REDIRECT_URI: `${baseURL}/api/auth/callback/oidc`,
        },
        ready: (out) => out.includes("ready http://"),
      }),
    );

    if (needsBuild()) await timed("next build", () => build(stateDir));
    else console.log("[e2e] next build is up to date");

    await timed("server", () =>
      servers.start("app", "npx", ["tsx", "scripts/server.ts"], {
        env: {
          ...dbEnv,
          PORT: String(appPort),
          LOCKSTEP_DEMO: "1",
          // On PostgreSQL the journeys' <name>_e2e database is dropped and recreated each run: a throwaway.
          LOCKSTEP_DEMO_THROWAWAY_DB: "1",
          LOCKSTEP_OIDC_ISSUER: `http://localhost:${oidcPort}`,
          LOCKSTEP_OIDC_CLIENT_ID: OIDC_CLIENT_ID,
          LOCKSTEP_OIDC_CLIENT_SECRET: oidcSecret,
          LOCKSTEP_OIDC_NAME: "Tidewater SSO",
          AUTH_SECRET: randomBytes(32).toString("base64url"),
          AUTH_TRUST_HOST: "true",
          // Every journey signs in from 127.0.0.1: one address for the whole suite (the limits have their own tests).
          LOCKSTEP_RATE_LIMITS: "sign_in=1000/60,export=1000/60,import=1000/60",
          // A peer's outage in a journey lasts seconds: probe it again after 3 s rather than 30, and never wait
          // more than 6 s between probes (doubling up to 5 minutes would outlast a journey's wait once it is back).
          LOCKSTEP_CIRCUIT_COOL_OFF_MS: "3000",
          LOCKSTEP_CIRCUIT_MAX_COOL_OFF_MS: "6000",
          ...leaverEnv,
        },
        ready: async () => (await fetch(`${baseURL}/sign-in`).catch(() => null))?.status === 200,
      }),
    );

    process.env.LOCKSTEP_E2E_BASE_URL = baseURL;
    process.env.LOCKSTEP_E2E_STATE_DIR = stateDir;
  } catch (err) {
    await servers.stopAll();
    throw err;
  }

  return async () => {
    await servers.stopAll();
    // Keep the servers' logs with the other test output; the temp folder (database included) goes.
    const logs = path.join(ROOT, "test-results", "servers");
    mkdirSync(logs, { recursive: true });
    for (const f of readdirSync(stateDir).filter((f) => f.endsWith(".log")))
      cpSync(path.join(stateDir, f), path.join(logs, f));
    rmSync(stateDir, { recursive: true, force: true });
  };
}

/** The environment every child gets: no inherited DATABASE_URL unless the database step sets one. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: DIST_DIR };
  delete env.DATABASE_URL;
  delete env.LOCKSTEP_DATA_DIR;
  return { ...env, ...extra };
}

async function prepareDatabase(stateDir: string): Promise<Record<string, string>> {
  const base = process.env.DATABASE_URL?.trim();
  let dbEnv: Record<string, string>;
  if (base) {
    const url = new URL(base);
    const name = `${decodeURIComponent(url.pathname.slice(1))}_e2e`;
    if (!/^[A-Za-z0-9_]+$/.test(name))
      throw new Error(`e2e: cannot derive a database name from DATABASE_URL (got "${name}")`);
    const admin = new URL(base);
    admin.pathname = "/postgres";
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    url.pathname = `/${name}`;
    dbEnv = { DATABASE_URL: url.toString() };
  } else {
    dbEnv = { LOCKSTEP_DATA_DIR: path.join(stateDir, "pglite") };
  }
  const result = spawnSync("npx", ["tsx", "--conditions=react-server", "e2e/support/prepare-db.ts"], {
    cwd: ROOT,
    env: childEnv(dbEnv),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`e2e: preparing the database failed:\n${result.stdout}\n${result.stderr}`);
  console.log(`[e2e] ${result.stdout.trim().split("\n").at(-1)}`);
  return dbEnv;
}

/**
 * Registers the peers' systems, accounts and tokens (sealed with a run-specific key the app also gets) and
 * returns the app's extra environment: connector secrets, that key, and short retry backoff for the journey.
 */
async function connectLeaverPeers(stateDir: string, dbEnv: Record<string, string>): Promise<Record<string, string>> {
  const peers = JSON.parse(readFileSync(path.join(stateDir, "peers.json"), "utf8"));
  const env = {
    LOCKSTEP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    LOCKSTEP_TEST_SCIM_TOKEN: peers.scim.token,
    LOCKSTEP_TEST_OAUTH_SECRET: peers.oauth.admin.clientSecret,
    LOCKSTEP_RETRY_BASE_MS: "1500",
  };
  const result = spawnSync("npx", ["tsx", "--conditions=react-server", "e2e/support/connect-peers.ts"], {
    cwd: ROOT,
    env: childEnv({ ...dbEnv, ...env, LOCKSTEP_E2E_STATE_DIR: stateDir }),
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`e2e: connecting the leaver peers failed:\n${result.stdout}\n${result.stderr}`);
  console.log(`[e2e] ${result.stdout.trim().split("\n").at(-1)}`);
  return env;
}

/** Runs a setup script against the prepared database (before the app holds it) and logs its last line. */
function runScript(file: string, env: Record<string, string>): void {
  const result = spawnSync("npx", ["tsx", "--conditions=react-server", file], {
    cwd: ROOT,
    env: childEnv(env),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`e2e: ${file} failed:\n${result.stdout}\n${result.stderr}`);
  console.log(`[e2e] ${result.stdout.trim().split("\n").at(-1)}`);
}

/** Sources that end up in the build; tests and e2e files do not. */
function newestSourceMtime(): number {
  let newest = 0;
  const visit = (rel: string) => {
    const abs = path.join(ROOT, rel);
    if (!existsSync(abs)) return;
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const name of readdirSync(abs))
        if (name !== "node_modules" && !name.startsWith(".")) visit(path.join(rel, name));
    } else if (!/\.test\.tsx?$/.test(rel)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const rel of ["app", "components", "lib", "db", "public", "styles"]) visit(rel);
  for (const rel of [
    "next.config.js",
    "package.json",
    "package-lock.json",
    "postcss.config.mjs",
    "proxy.ts",
    "instrumentation.ts",
    "tsconfig.json",
  ])
    visit(rel);
  return newest;
}

function needsBuild(): boolean {
  if (process.env.LOCKSTEP_E2E_BUILD === "always") return true;
  if (process.env.LOCKSTEP_E2E_BUILD === "never") return false;
  const buildId = path.join(ROOT, DIST_DIR, "BUILD_ID");
  return !existsSync(buildId) || statSync(buildId).mtimeMs < newestSourceMtime();
}

async function build(stateDir: string): Promise<void> {
  const log = path.join(stateDir, "next-build.log");
  const fd = openSync(log, "w");
  const child = spawn("npx", ["next", "build"], { cwd: ROOT, env: childEnv({}), stdio: ["ignore", fd, fd] });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`e2e: next build failed (exit ${code}):\n${tail(log, 60)}`);
}

class ServerGroups {
  private running: { name: string; child: ChildProcess; exited: Promise<void> }[] = [];
  private readonly killOnExit = () => {
    for (const s of this.running) signalGroup(s.child, "SIGKILL");
  };

  constructor(private readonly stateDir: string) {
    process.once("exit", this.killOnExit);
  }

  /** Starts a server in its own process group; resolves once `ready` says so (from its output, or by polling). */
  async start(
    name: string,
    cmd: string,
    args: string[],
    opts: { env: Record<string, string>; ready: (output: string) => boolean | Promise<boolean>; timeoutMs?: number },
  ): Promise<void> {
    const log = path.join(this.stateDir, `${name}.log`);
    const fd = openSync(log, "w");
    const child = spawn(cmd, args, { cwd: ROOT, env: childEnv(opts.env), stdio: ["ignore", fd, fd], detached: true });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      child.on("exit", (code) => {
        exitCode = code;
        resolve();
      }),
    );
    this.running.push({ name, child, exited });
    const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
    while (Date.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(`e2e: ${name} exited (${exitCode}) before it was ready:\n${tail(log, 40)}`);
      if (await opts.ready(readFileSync(log, "utf8"))) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`e2e: ${name} was not ready within ${(opts.timeoutMs ?? 90_000) / 1000}s:\n${tail(log, 40)}`);
  }

  async stopAll(): Promise<void> {
    for (const s of this.running.reverse()) {
      signalGroup(s.child, "SIGTERM");
      const stopped = await Promise.race([
        s.exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
      ]);
      // next start leaves next-server behind if only npx goes: always clear the whole group.
      signalGroup(s.child, "SIGKILL");
      if (!stopped) console.warn(`[e2e] ${s.name} did not stop on SIGTERM; killed`);
    }
    this.running = [];
    process.removeListener("exit", this.killOnExit);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const s = createServer();
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await fn();
  console.log(`[e2e] ${what} ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result;
}

function tail(file: string, lines: number): string {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-lines).join("\n") : "";
}
