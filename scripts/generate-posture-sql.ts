import { writeFileSync } from "node:fs";
import { postureMigrationSql, REFRESH_FUNCTION_SQL, strengthFunctionsSql } from "@/lib/factors/posture-sql";

/**
 * Writes the posture SQL generated from lib/factors/strength.ts into a custom migration, so the database's
 * strength rules are the TypeScript tables (lib/factors/posture-sql.test.ts checks the newest migration still
 * matches them).
 *
 *   flock /tmp/lockstep-migrations.lock npx drizzle-kit generate --custom --name <what>
 *   npx tsx scripts/generate-posture-sql.ts db/migrations/<that file>.sql             # the whole rollup
 *   npx tsx scripts/generate-posture-sql.ts --strength-only db/migrations/<file>.sql  # after changing a table
 *   npx tsx scripts/generate-posture-sql.ts --refresh-only db/migrations/<file>.sql   # after changing the refresh
 *
 * Without a file it prints to stdout.
 */
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const body = args.includes("--strength-only")
  ? `-- The strength tables of lib/factors/strength.ts changed: the rollup functions call these, so a refresh follows.\n${strengthFunctionsSql()}\n--> statement-breakpoint\nSELECT refresh_identity_posture(NULL);\n`
  : args.includes("--refresh-only")
    ? `-- refresh_identity_posture, as lib/factors/posture-sql.ts writes it now.\n${REFRESH_FUNCTION_SQL}\n`
    : postureMigrationSql();
if (file) {
  writeFileSync(file, body);
  console.log(`wrote ${file} (${body.length} characters)`);
} else {
  process.stdout.write(body);
}
