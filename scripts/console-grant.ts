import { userInfo } from "node:os";
import { z } from "zod";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { consoleRole } from "@/db/schema/enums";
import type { Actor } from "@/lib/authz";
import { grantConsoleRole } from "@/lib/console-roles/commands";
import { identityByEmail } from "@/lib/console-roles/queries";
import { makeCtx } from "@/lib/context";
import { Conflict } from "@/lib/errors";
import { runCommand, Usage } from "./run-script";

/**
 * `npm run console:grant -- --email <e> --role admin`: the recovery for a locked-out installation (nobody left who
 * may administer it). Gives an active person a console role as a named system actor, audited like a grant on
 * Settings → Console roles. On the embedded database it runs while the server is stopped (the data folder is
 * locked); on PostgreSQL at any time.
 */
const USAGE = `Usage: npm run console:grant -- --email <email> --role <${consoleRole.enumValues.join("|")}>`;

const args = z.object({
  email: z.string().trim().min(3).max(320),
  role: z.enum(consoleRole.enumValues),
});

function parse(argv: string[]): z.infer<typeof args> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== "--email" && flag !== "--role") throw new Usage(`Unknown argument "${argv[i]}".\n\n${USAGE}`);
    const v = inline ?? argv[++i];
    if (v === undefined || v.startsWith("--")) throw new Usage(`${flag} needs a value.\n\n${USAGE}`);
    out[flag.slice(2)] = v;
  }
  const parsed = args.safeParse(out);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Usage(`--${String(issue.path[0] ?? "email")}: ${issue.message}\n\n${USAGE}`);
  }
  return parsed.data;
}

async function main() {
  const input = parse(process.argv.slice(2));
  const actor: Actor = { kind: "system", id: null, name: `console:grant CLI (${userInfo().username})`, roles: [] };
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const ctx = makeCtx(actor, handle.db);
    const person = await identityByEmail(ctx, input.email);
    if (!person) {
      console.error(`lockstep: nobody in ${handle.description} has the email ${input.email}.`);
      process.exitCode = 1;
      return;
    }
    try {
      const done = await grantConsoleRole(ctx, { identityId: person.id, role: input.role });
      console.log(
        `${done.name} (#${done.identityId}) now holds the ${input.role} console role in ${handle.description}, granted and audited as ${actor.name}.`,
      );
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      console.log(`${err.message} Nothing changed.`);
    }
  } finally {
    await handle.close();
  }
}

runCommand(main, "On the embedded database, stop the server first (console:grant needs the data folder to itself).");
