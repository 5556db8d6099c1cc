import { BlockList, isIP } from "node:net";

/**
 * Which request headers about the client Lockstep believes (hardening finding 10). `X-Forwarded-For`,
 * `X-Forwarded-Host` and friends are whatever the caller sends unless a proxy we run wrote them; Next.js only fills
 * them in when absent, so a caller could put any address in the audit log and dodge the per-address rate limits.
 * The server (scripts/server.ts) strips them from connections that do not come from a configured proxy
 * (LOCKSTEP_TRUSTED_PROXIES); Next then records the socket's own address. Through a trusted proxy, the client is the
 * right-most address in the chain that is not itself a trusted proxy (OWASP: the left-most entries are the caller's
 * to invent).
 */
const CLIENT_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

export type TrustedProxies = { check: (address: string) => boolean; size: number };

/** Parses LOCKSTEP_TRUSTED_PROXIES: addresses and CIDR ranges, comma-separated (e.g. `10.0.0.0/8, 127.0.0.1`). */
export function trustedProxies(setting: string | undefined): TrustedProxies {
  const list = new BlockList();
  let size = 0;
  for (const raw of (setting ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, bits] = raw.split("/");
    const family = isIP(address);
    if (!family) throw new Error(`LOCKSTEP_TRUSTED_PROXIES: "${raw}" is not an IP address or CIDR range.`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128))
        throw new Error(`LOCKSTEP_TRUSTED_PROXIES: "${raw}" has an impossible prefix length.`);
      list.addSubnet(address, prefix, type);
    }
    size++;
  }
  return { check: (address) => size > 0 && matches(list, address), size };
}

function matches(list: BlockList, address: string): boolean {
  const bare = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const family = isIP(bare);
  return family !== 0 && list.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Rewrites a request's client headers in place before Next.js sees them: all removed unless the connection comes
 * from a trusted proxy; through one, `x-forwarded-for` is cut down to the client's address.
 */
export function cleanForwarded(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
  trusted: TrustedProxies,
): void {
  if (!remoteAddress || !trusted.check(remoteAddress)) {
    for (const h of CLIENT_HEADERS) delete headers[h];
    return;
  }
  const raw = headers["x-forwarded-for"];
  const chain = (Array.isArray(raw) ? raw.join(",") : (raw ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // From the proxy backwards: the first hop that is not one of ours is the client.
  let client = remoteAddress;
  for (let i = chain.length - 1; i >= 0; i--) {
    client = chain[i];
    if (!isIP(client) || !trusted.check(client)) break;
  }
  headers["x-forwarded-for"] = isIP(client) ? client : remoteAddress;
  delete headers["x-real-ip"];
}
