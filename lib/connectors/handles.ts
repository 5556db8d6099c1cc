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

const aad = (credentialId: number) => Buffer.from(`lockstep:credential:${credentialId}`);

function seal(credentialId: number, token: string, env?: NodeJS.ProcessEnv): { sealed: string; keyId: Key["id"] } {
  const key = keyFor(undefined, env);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(aad(credentialId));
  const ct = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url"));
  return { sealed: `v1.${parts.join(".")}`, keyId: key.id };
}

function unseal(credentialId: number, sealed: string, keyId: string, env?: NodeJS.ProcessEnv): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !ct) throw new Error("Unknown handle format.");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(keyId, env).bytes, Buffer.from(iv, "base64url"));
  decipher.setAAD(aad(credentialId));
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

/** Registers (or replaces) the handle of a credential, sealed. */
export async function storeHandle(db: Db, credentialId: number, handle: CredentialHandle): Promise<void> {
  const secret =
    handle.kind === "token"
      ? handle.token
      : JSON.stringify({ uri: handle.registrationClientUri, rat: handle.registrationAccessToken });
  const { sealed, keyId } = seal(credentialId, secret);
  const values = { sealed, keyId, kind: handle.kind, tokenTypeHint: handle.kind === "token" ? handle.hint : null };
  await db
    .insert(credentialHandles)
    .values({ credentialId, ...values })
    .onConflictDoUpdate({ target: credentialHandles.credentialId, set: { ...values, createdAt: sql`now()` } });
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
  const secret = unseal(credentialId, row.sealed, row.keyId);
  if (row.kind === "token") return { kind: "token", token: secret, hint: row.tokenTypeHint };
  const parsed = registrationSecret.parse(JSON.parse(secret));
  return { kind: "registration", registrationClientUri: parsed.uri, registrationAccessToken: parsed.rat };
}

const registrationSecret = z.object({ uri: z.url(), rat: z.string().min(1) });
