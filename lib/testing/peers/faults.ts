import type { IncomingMessage, ServerResponse } from "node:http";

/** How a test peer misbehaves: answers normally, is down (503), hangs past the caller's timeout, or rejects credentials. */
export type PeerMode = "ok" | "down" | "slow" | "unauthorized";

export type Faults = {
  mode: PeerMode;
  slowMs: number;
  requests: { method: string; path: string; at: number }[];
  /** Answer this many more requests normally, then go `down` (a peer that fails in the middle of a long read). */
  downAfter?: number;
};

export function newFaults(): Faults {
  return { mode: "ok", slowMs: 30_000, requests: [] };
}

/**
 * Applies the current fault before the real handler: returns true when the request was answered here.
 * `slow` waits and then answers normally, so a caller with a shorter timeout sees a timeout.
 */
export async function applyFault(
  faults: Faults,
  req: IncomingMessage,
  res: ServerResponse,
  scim = false,
): Promise<boolean> {
  faults.requests.push({ method: req.method ?? "GET", path: req.url ?? "/", at: Date.now() });
  if (req.url?.startsWith("/_control")) return false;
  if (faults.downAfter !== undefined) {
    if (faults.downAfter <= 0) {
      faults.mode = "down";
      faults.downAfter = undefined;
    } else faults.downAfter -= 1;
  }
  if (faults.mode === "down") {
    res.writeHead(503, { "content-type": scim ? "application/scim+json" : "application/json", "retry-after": "1" });
    res.end(
      JSON.stringify(
        scim
          ? {
              schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
              status: "503",
              detail: "Service Unavailable (test peer is down)",
            }
          : { error: "temporarily_unavailable" },
      ),
    );
    return true;
  }
  if (faults.mode === "unauthorized") {
    res.writeHead(401, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        scim
          ? { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401", detail: "Bearer token rejected" }
          : { error: "invalid_client" },
      ),
    );
    return true;
  }
  if (faults.mode === "slow") await new Promise((r) => setTimeout(r, faults.slowMs));
  return false;
}
