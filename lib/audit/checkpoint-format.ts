import { sign, verify } from "node:crypto";
import { z } from "zod";
import type { SigningKey, VerifyKey } from "./checkpoint-key";

/**
 * One signed checkpoint of the audit chain: its head event (id and hash), how many events lead up to it, when it was
 * taken, and which key signed it. One JSON object per line in the checkpoint file and in the endpoint's answer.
 */
const checkpointSchema = z.object({
  v: z.literal(1),
  headId: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  count: z.number().int().positive(),
  at: z.iso.datetime(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  sig: z.string().min(1),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The latest checkpoint when an evidence report was made, or why there is none. */
export type CheckpointStamp = { checkpoint: Checkpoint | null; note: string | null };

/** The signed bytes: fixed order, nothing a JSON serialiser could reorder. */
function signedText(cp: Omit<Checkpoint, "sig">): string {
  return ["lockstep-audit-checkpoint", cp.v, cp.headId, cp.headHash, cp.count, cp.at, cp.keyId].join("\n");
}

export function signCheckpoint(
  key: SigningKey,
  head: { headId: number; headHash: string; count: number; at: Date },
): Checkpoint {
  const unsigned = { v: 1 as const, ...head, at: head.at.toISOString(), keyId: key.keyId };
  const sig = sign(null, Buffer.from(signedText(unsigned)), key.privateKey).toString("base64url");
  return { ...unsigned, sig };
}

function signatureHolds(key: VerifyKey, cp: Checkpoint): boolean {
  if (cp.keyId !== key.keyId) return false;
  return verify(null, Buffer.from(signedText(cp)), key.publicKey, Buffer.from(cp.sig, "base64url"));
}

export type CheckpointLog = {
  /** Well-formed checkpoints whose signature holds under the key, in file order. */
  valid: Checkpoint[];
  /** Lines that are not checkpoints, or not signed by the key: someone wrote into the file. */
  problems: string[];
};

/** Reads checkpoint lines (JSON lines), keeping those the key signed and naming every other one. */
export function parseCheckpoints(text: string, key: VerifyKey): CheckpointLog {
  const out: CheckpointLog = { valid: [], problems: [] };
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: ReturnType<typeof checkpointSchema.safeParse>;
    try {
      parsed = checkpointSchema.safeParse(JSON.parse(line));
    } catch {
      out.problems.push(`line ${i + 1}: not JSON`);
      return;
    }
    if (!parsed.success) out.problems.push(`line ${i + 1}: not a checkpoint (${parsed.error.issues[0].message})`);
    else if (parsed.data.keyId !== key.keyId)
      out.problems.push(`line ${i + 1}: signed by another key (${parsed.data.keyId}, expected ${key.keyId})`);
    else if (!signatureHolds(key, parsed.data)) out.problems.push(`line ${i + 1}: the signature does not hold`);
    else out.valid.push(parsed.data);
  });
  return out;
}
