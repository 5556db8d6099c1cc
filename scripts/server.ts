import { createServer } from "node:http";
import next from "next";
import { cleanForwarded, trustedProxies } from "../lib/edge/forwarded";

/**
 * The production server: Next.js behind a plain Node HTTP server, so that headers describing the client
 * (X-Forwarded-For, X-Forwarded-Host, …) are believed only from a configured proxy (lib/edge/forwarded.ts).
 * `npm start` / `npm run serve` and the browser tests run this, never `next start`.
 */
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME?.trim() || undefined;
const trusted = trustedProxies(process.env.LOCKSTEP_TRUSTED_PROXIES);

async function main() {
  const app = next({ dev: false, dir: process.cwd(), port, hostname: hostname ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    cleanForwarded(req.headers, req.socket.remoteAddress, trusted);
    void handle(req, res);
  });
  server.listen(port, hostname, () => {
    console.log(
      trusted.size
        ? `Serving on port ${port}; X-Forwarded-* believed from ${trusted.size} trusted prox${trusted.size === 1 ? "y" : "ies"} only`
        : `Serving on port ${port}; no trusted proxy: client addresses come from the connection`,
    );
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
