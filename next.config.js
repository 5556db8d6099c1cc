// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Parallel builds (several worktrees or test runs on one machine) each get their own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite ships WASM + data files; bundling it breaks every query at run time (docs/TOOLCHAIN.md #3).
  serverExternalPackages: ["@electric-sql/pglite", "pg", "oidc-provider", "graphile-worker"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
    // Server actions compare the Origin with the Host (X-Forwarded-Host is believed only from a trusted proxy, see
    // scripts/server.ts); a deployment whose public name differs from the Host it forwards lists it here.
    serverActions: {
      allowedOrigins: (process.env.LOCKSTEP_ALLOWED_ORIGINS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    },
  },
  // Type-checking runs in `npm test` (tsc --noEmit); the build stays fast on 2 cores.
  typescript: { ignoreBuildErrors: true },
};
module.exports = nextConfig;
