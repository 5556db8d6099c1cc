import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

/**
 * The keys of audit checkpoints (hardening finding 1). The signing key is an Ed25519 private key held outside the
 * database, in the environment of the app and worker processes (LOCKSTEP_AUDIT_SIGNING_KEY); whoever owns the
 * database cannot forge a checkpoint without it. Auditors and monitors need only the public key
 * (LOCKSTEP_AUDIT_VERIFY_KEY, or derived from the signing key where that is set). Either is PEM, or the base64 of the
 * DER (PKCS#8 for the private key, SPKI for the public one), so it fits on one line of `.env.local`:
 *
 *   openssl genpkey -algorithm ed25519 -outform DER | base64 -w0            # LOCKSTEP_AUDIT_SIGNING_KEY
 *   echo "$KEY" | base64 -d | openssl pkey -inform DER -pubout -outform DER | base64 -w0   # LOCKSTEP_AUDIT_VERIFY_KEY
 *
 * There is no ephemeral fallback: a key made up at start-up dies with the process, and checkpoints nobody can verify
 * later would only pretend. Without a key, checkpoints are off and every surface says so.
 */
/** The settings read (process.env, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; keyId: string };
export type VerifyKey = { publicKey: KeyObject; keyId: string };

/** The key's fingerprint, named in every checkpoint: the first 16 hex digits of the sha256 of its SPKI DER. */
function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16);
}

function readKey(value: string, kind: "private" | "public", setting: string): KeyObject {
  const text = value.trim().replace(/\\n/g, "\n");
  try {
    const key = text.startsWith("-----BEGIN")
      ? kind === "private"
        ? createPrivateKey(text)
        : createPublicKey(text)
      : kind === "private"
        ? createPrivateKey({ key: Buffer.from(text, "base64"), format: "der", type: "pkcs8" })
        : createPublicKey({ key: Buffer.from(text, "base64"), format: "der", type: "spki" });
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`an ${key.asymmetricKeyType} key`);
    return key;
  } catch (err) {
    throw new Error(
      `${setting} is not an Ed25519 ${kind} key (PEM, or base64 ${kind === "private" ? "PKCS#8" : "SPKI"} DER): ${(err as Error).message}`,
    );
  }
}

/** The signing key from LOCKSTEP_AUDIT_SIGNING_KEY, or null when it is not set; a malformed key throws. */
export function signingKeyFrom(env: Env = process.env): SigningKey | null {
  const raw = env.LOCKSTEP_AUDIT_SIGNING_KEY?.trim();
  if (!raw) return null;
  const privateKey = readKey(raw, "private", "LOCKSTEP_AUDIT_SIGNING_KEY");
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * The key checkpoints are verified with: LOCKSTEP_AUDIT_VERIFY_KEY (what an auditor holds), else the signing key's
 * public half. Both set but not a pair is a configuration error, said at once.
 */
export function verifyKeyFrom(env: Env = process.env): VerifyKey | null {
  const signing = signingKeyFrom(env);
  const raw = env.LOCKSTEP_AUDIT_VERIFY_KEY?.trim();
  if (!raw) return signing && { publicKey: signing.publicKey, keyId: signing.keyId };
  const publicKey = readKey(raw, "public", "LOCKSTEP_AUDIT_VERIFY_KEY");
  const keyId = keyIdOf(publicKey);
  if (signing && signing.keyId !== keyId) {
    throw new Error("LOCKSTEP_AUDIT_VERIFY_KEY is not the public half of LOCKSTEP_AUDIT_SIGNING_KEY.");
  }
  return { publicKey, keyId };
}

/** The public key as PEM, for monitors. */
export function publicKeyPem(key: VerifyKey): string {
  return String(key.publicKey.export({ type: "spki", format: "pem" }));
}

export const NO_KEY_MESSAGE =
  "Audit checkpoints are off: LOCKSTEP_AUDIT_SIGNING_KEY is not set (see the README), so a truncated or rewritten chain cannot be told from a genuine one.";
