import type { CheckpointStamp } from "@/lib/audit/checkpoint-format";
import { formatDateTime } from "@/lib/time";

/**
 * An evidence report's stamp: the latest signed checkpoint of the audit chain when the report was made. Anyone holding
 * the public key can check later that the log still holds that event with that hash (`npm run audit:verify`).
 */
export function CheckpointStampLine({ stamp, tz }: { stamp: CheckpointStamp; tz: string }) {
  const cp = stamp.checkpoint;
  if (!cp) return <span data-testid="checkpoint-stamp">{stamp.note}</span>;
  return (
    <span data-testid="checkpoint-stamp">
      event #{cp.headId} ({cp.count.toLocaleString("en-US")} events) signed {formatDateTime(cp.at, tz)} by key{" "}
      <code className="text-[11px]">{cp.keyId}</code> · <code className="text-[11px] break-all">{cp.headHash}</code>
    </span>
  );
}
