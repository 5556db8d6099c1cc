import { loadEnvConfig } from "@next/env";

/**
 * Every script reads the same configuration as `next start`: the `.env`, `.env.production`, `.env.local` files,
 * loaded by Next's own loader (variables already set win). Without this, a DATABASE_URL kept in `.env.local` reached
 * the server but not the start script, which then took the embedded database for granted (and turned demo sign-in
 * on). Imported first by run-script.ts, so it runs before any script reads process.env.
 */
loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
