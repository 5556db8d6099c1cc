import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { credentialHandles } from "@/db/schema";
import { authSecret } from "@/lib/auth/secret";

/**
 * Revocation handles: RFC 7009 needs the token itself, so Lockstep keeps it — sealed with AES-256-GCM,
 * the credential id bound in as additional data (a sealed value moved to another row will not open).
 * Key: LOCKSTEP_ENCRYPTION_KEY (32 bytes, base64 or hex), or, for the embedded demo, HKDF-SHA256 of the
 * auth secret. Tokens never leave this module except to the connector call that revokes them.
 */
type Key = { id: "env" | "derived"; bytes: Buffer };

function keyFor(id?: string, env: NodeJS.ProcessEnv = process.env): Key {
  const raw = env.LOCKSTEP_ENCRYPTION_KEY?.trim();
  if (raw && id !== "derived") {
    const bytes = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
    if (bytes.length !== 32) throw new Error("LOCKSTEP_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64).");
    return { id: "env", bytes };
  }
  if (id === "env") throw new Error("This handle was sealed with LOCKSTEP_ENCRYPTION_KEY, which is not set.");
  const bytes = Buffer.from(hkdfSync("sha256", authSecret(), "lockstep", "credential-handles v1", 32));
  return { id: "derived", bytes };
}

/** What a sealed value is bound to: a credential's row, or (between an import's preview and its apply) a file row. */
type Binding = number | { runId: number; key: string };
const aad = (to: Binding) =>
  Buffer.from(typeof to === "number" ? `lockstep:credential:${to}` : `lockstep:import:${to.runId}:${to.key}`);

function seal(to: Binding, token: string, env?: NodeJS.ProcessEnv): { sealed: string; keyId: Key["id"] } {
  const key = keyFor(undefined, env);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(aad(to));
  const ct = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url"));
  return { sealed: `v1.${parts.join(".")}`, keyId: key.id };
}

function unseal(from: Binding, sealed: string, keyId: string, env?: NodeJS.ProcessEnv): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !ct) throw new Error("Unknown handle format.");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(keyId, env).bytes, Buffer.from(iv, "base64url"));
  decipher.setAAD(aad(from));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

/**
 * What Lockstep needs to act on a credential at its issuer: the token itself (RFC 7009 revocation, RFC 7662
 * introspection), or, for an OAuth client, its RFC 7592 registration (configuration URI and registration access
 * token) to read, reduce or delete the client without any of its tokens.
 */
export type CredentialHandle =
  | { kind: "token"; token: string; hint: string | null }
  | { kind: "registration"; registrationClientUri: string; registrationAccessToken: string };

const secretOf = (handle: CredentialHandle) =>
  handle.kind === "token"
    ? handle.token
    : JSON.stringify({ uri: handle.registrationClientUri, rat: handle.registrationAccessToken });

function handleOf(kind: CredentialHandle["kind"], secret: string, hint: string | null): CredentialHandle {
  if (kind === "token") return { kind: "token", token: secret, hint };
  const parsed = registrationSecret.parse(JSON.parse(secret));
  return { kind: "registration", registrationClientUri: parsed.uri, registrationAccessToken: parsed.rat };
}

type HandleRow = typeof credentialHandles.$inferInsert;
const rowFor = (credentialId: number, handle: CredentialHandle): HandleRow => ({
  credentialId,
  ...seal(credentialId, secretOf(handle)),
  kind: handle.kind,
  tokenTypeHint: handle.kind === "token" ? handle.hint : null,
});

/** Inserts or replaces handles; `createdAt` is when the current one was registered. */
async function upsertHandles(db: Db, rows: HandleRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(credentialHandles)
    .values(rows)
    .onConflictDoUpdate({
      target: credentialHandles.credentialId,
      set: {
        sealed: sql`excluded.sealed`,
        keyId: sql`excluded.key_id`,
        kind: sql`excluded.kind`,
        tokenTypeHint: sql`excluded.token_type_hint`,
        createdAt: sql`now()`,
      },
    });
}

/** Registers (or replaces) the handle of a credential, sealed. */
export async function storeHandle(db: Db, credentialId: number, handle: CredentialHandle): Promise<void> {
  await upsertHandles(db, [rowFor(credentialId, handle)]);
}

/**
 * A handle read from an import file, sealed at once so the stored preview row never holds it in clear. The
 * credential may not exist yet, so it is bound to the run and the row's key until the import is applied.
 */
export type ImportedHandle = { kind: CredentialHandle["kind"]; hint: string | null; sealed: string; keyId: string };

export function sealImportedHandle(runId: number, key: string, handle: CredentialHandle): ImportedHandle {
  return {
    kind: handle.kind,
    hint: handle.kind === "token" ? handle.hint : null,
    ...seal({ runId, key }, secretOf(handle)),
  };
}

/** Applying an import: each imported handle is opened and sealed again to its credential's row, in one statement. */
export async function storeImportedHandles(
  db: Db,
  runId: number,
  items: { credentialId: number; key: string; handle: ImportedHandle }[],
): Promise<void> {
  const rows = items.map(({ credentialId, key, handle: h }) =>
    rowFor(credentialId, handleOf(h.kind, unseal({ runId, key }, h.sealed, h.keyId), h.hint)),
  );
  await upsertHandles(db, rows);
}

/** A token's revocation handle (the common case, kept for callers that register tokens). */
export function storeCredentialHandle(
  db: Db,
  credentialId: number,
  token: string,
  tokenTypeHint?: "access_token" | "refresh_token",
): Promise<void> {
  return storeHandle(db, credentialId, { kind: "token", token, hint: tokenTypeHint ?? null });
}

/** The credential's handle, or null when Lockstep holds none. */
export async function openHandle(db: Db, credentialId: number): Promise<CredentialHandle | null> {
  const [row] = await db.select().from(credentialHandles).where(eq(credentialHandles.credentialId, credentialId));
  if (!row) return null;
  return handleOf(row.kind, unseal(credentialId, row.sealed, row.keyId), row.tokenTypeHint);
}

const registrationSecret = z.object({ uri: z.url(), rat: z.string().min(1) });
