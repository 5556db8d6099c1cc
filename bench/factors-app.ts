import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import type { DbHandle } from "@/db/client";
import { col } from "@/db/rows";
import { rowsOf } from "@/lib/testing/sql";
import { timeIt } from "./types";

/**
 * The app-level figures of the factor bench: the dashboard's server render as a signed-in executive requests
 * it from `next start`, and each route's first-load JavaScript as the build reports it. Uses the build in
 * NEXT_DIST_DIR (default .next), building it first when there is none (LOCKSTEP_BENCH_BUILD=always rebuilds).
 */
const ROOT = path.resolve(__dirname, "..");
const DIST = process.env.NEXT_DIST_DIR || ".next";

function ensureBuild(log: (l: string) => void): void {
  if (existsSync(path.join(ROOT, DIST, "BUILD_ID")) && process.env.LOCKSTEP_BENCH_BUILD !== "always") return;
  log(`building the app into ${DIST} (next build)…`);
  const r = spawnSync("npx", ["next", "build"], {
    cwd: ROOT,
    env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`next build failed:\n${(r.stdout + r.stderr).split("\n").slice(-40).join("\n")}`);
}

export type RouteJs = { route: string; raw: number; gzip: number };

/** First-load JavaScript per route: the chunks the build lists for it, gzipped one by one as a server sends them. */
export async function firstLoadJs(log: (l: string) => void): Promise<RouteJs[]> {
  ensureBuild(log);
  const stats = JSON.parse(readFileSync(path.join(ROOT, DIST, "diagnostics", "route-bundle-stats.json"), "utf8")) as {
    route: string;
    firstLoadUncompressedJsBytes: number;
    firstLoadChunkPaths: string[];
  }[];
  const sizes = new Map<string, number>();
  const gz = (p: string) => sizes.get(p) ?? sizes.set(p, gzipSync(readFileSync(path.join(ROOT, p))).length).get(p)!;
  const routes = stats
    .map((s) => ({
      route: s.route,
      raw: s.firstLoadUncompressedJsBytes,
      gzip: s.firstLoadChunkPaths.reduce((n, p) => n + gz(p), 0),
    }))
    .sort((a, b) => b.gzip - a.gzip);
  log("first-load JS per route (from the build), gzipped:");
  for (const r of routes)
    log(`  ${r.route.padEnd(34)} ${(r.gzip / 1024).toFixed(1).padStart(7)} kB   (${(r.raw / 1024).toFixed(0)} kB raw)`);
  return routes;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitFor(url: string, child: ChildProcess, seconds = 90): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in ${seconds}s`);
}

/** GET /dashboard with Elena Rossi's session (a session token minted with the server's secret, as sign-in would). */
export async function timeDashboardRender(handle: DbHandle, log: (l: string) => void) {
  ensureBuild(log);
  const [elena] = await rowsOf(handle.db, sql`SELECT id, email FROM identities WHERE display_name = 'Elena Rossi'`, {
    id: col.int,
    email: col.text,
  });
  const port = await freePort();
  const secret = randomBytes(32).toString("base64url");
  const child = spawn("npx", ["next", "start", "-p", String(port)], {
    cwd: ROOT,
    detached: true, // its own process group, stopped as a group (docs/TOOLCHAIN.md #9)
    stdio: "ignore",
    env: {
      ...process.env,
      NEXT_DIST_DIR: DIST,
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_SECRET: secret,
      AUTH_TRUST_HOST: "true",
      LOCKSTEP_WORKER: "0",
      PORT: String(port),
    },
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/sign-in`, child);
    const cookieName = "authjs.session-token";
    const token = await encode({
      token: { sub: String(elena.id), identityId: Number(elena.id), email: elena.email },
      secret,
      salt: cookieName,
      maxAge: 3600,
    });
    const get = async () => {
      const res = await fetch(`${base}/dashboard`, {
        headers: { cookie: `${cookieName}=${token}; tz=Europe%2FRome` },
        redirect: "manual",
      });
      const body = await res.text();
      if (res.status !== 200 || !body.includes("Risk dashboard"))
        throw new Error(`GET /dashboard answered ${res.status}`);
      return body;
    };
    const body = await get();
    log(`dashboard HTML + RSC payload: ${(body.length / 1024).toFixed(0)} kB for ${elena.email}`);
    return await timeIt(get, 30, 5);
  } finally {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
