import { userInfo } from "node:os";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import type { Actor } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import {
  createProvisioningToken,
  createTokenInput,
  listProvisioningClients,
  revokeProvisioningToken,
  TOKEN_KINDS,
  type TokenKind,
} from "@/lib/scim/tokens";
import { runCommand, Usage } from "./run-script";

/**
 * `npm run scim:token -- --name <client>`: a bearer token for a SCIM provisioning client (Entra ID, Okta…), as
 * a named system actor, audited like one made in the console. The token is printed once, as the last line of
 * output (so `… | tail -n 1` captures it); Lockstep keeps only its hash. `--list` shows the clients,
 * `--revoke <id>` revokes one. On the embedded database it runs while the server is stopped (the data folder
 * is locked); on PostgreSQL at any time.
 */
const USAGE = `Usage: npm run scim:token -- --name <client> [--kind audit_monitor]
                                               create a token (printed once, last line); by default for a
                                               SCIM provisioning client, or for an audit monitor
       npm run scim:token -- --list [--kind audit_monitor]
                                               list the clients of a kind
       npm run scim:token -- --revoke <id>     revoke a client's token`;

function parse(argv: string[]): { name?: string; list?: boolean; revoke?: number; kind?: string } {
  const out: { name?: string; list?: boolean; revoke?: number; kind?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Usage(`${flag} needs a value.\n\n${USAGE}`);
      return v;
    };
    if (flag === "--name") out.name = value();
    else if (flag === "--kind") out.kind = value();
    else if (flag === "--list") out.list = true;
    else if (flag === "--revoke") {
      const id = Number(value());
      if (!Number.isInteger(id) || id <= 0) throw new Usage(`--revoke takes a client id.\n\n${USAGE}`);
      out.revoke = id;
    } else throw new Usage(`Unknown argument "${argv[i]}".\n\n${USAGE}`);
  }
  if ([out.name !== undefined, out.list, out.revoke !== undefined].filter(Boolean).length !== 1) throw new Usage(USAGE);
  return out;
}

async function main() {
  const args = parse(process.argv.slice(2));
  const kind = args.kind ?? "provisioning";
  if (!(TOKEN_KINDS as readonly string[]).includes(kind))
    throw new Usage(`--kind is one of ${TOKEN_KINDS.join(", ")}.\n\n${USAGE}`);
  const actor: Actor = { kind: "system", id: null, name: `scim:token CLI (${userInfo().username})`, roles: [] };
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const ctx = makeCtx(actor, handle.db);
    if (args.list) {
      const clients = await listProvisioningClients(ctx, kind as TokenKind);
      if (clients.length === 0)
        console.log(kind === "provisioning" ? "No provisioning clients." : "No audit monitors.");
      for (const c of clients) {
        const state = c.revokedAt ? `revoked ${c.revokedAt}` : `last used ${c.lastUsedAt ?? "never"}`;
        console.log(`#${c.id}  ${c.name}  ${c.tokenHint}  created ${c.createdAt} by ${c.createdBy}  ${state}`);
      }
    } else if (args.revoke !== undefined) {
      await revokeProvisioningToken(ctx, { clientId: args.revoke });
      console.log(`Revoked the token of client #${args.revoke}: its next request is refused.`);
    } else {
      const input = createTokenInput.safeParse({ name: args.name, kind });
      if (!input.success) throw new Usage(`--name: ${input.error.issues[0].message}\n\n${USAGE}`);
      const made = await createProvisioningToken(ctx, input.data);
      if (made.kind === "audit_monitor") {
        console.log(`Audit monitor #${made.id} "${made.name}" created in ${handle.description}, as ${actor.name}.`);
        console.log("Poll https://<your Lockstep host>/api/audit/checkpoints/feed — authentication: Bearer token.");
      } else {
        console.log(
          `Provisioning client #${made.id} "${made.name}" created in ${handle.description}, as ${actor.name}.`,
        );
        console.log("SCIM base URL: https://<your Lockstep host>/scim/v2 — authentication: Bearer token.");
      }
      console.log("The token follows. It is shown only this once; Lockstep keeps only its hash.");
      console.log(made.token);
    }
  } finally {
    await handle.close();
  }
}

runCommand(
  main,
  "Tokens for the embedded database are made while the server is stopped; with it running, use Systems → Inbound provisioning in the console.",
);
