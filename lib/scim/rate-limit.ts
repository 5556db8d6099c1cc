import { ScimError } from "./errors";

/**
 * A token bucket per provisioning client, in this process's memory: `LOCKSTEP_SCIM_RATE` requests per second
 * sustained (default 20) with bursts of five seconds' worth. Enough for Entra's and Okta's provisioning
 * (a few requests a second per app) while a runaway client cannot starve the console. Each app server keeps its
 * own buckets, so N processes allow N times the rate; a 429 says when to come back (Retry-After).
 */
type Bucket = { tokens: number; at: number };
const buckets = new Map<number, Bucket>();

function rate(): number {
  const n = Number(process.env.LOCKSTEP_SCIM_RATE);
  return Number.isFinite(n) && n > 0 ? n : 20;
}

export function takeToken(clientId: number, now = Date.now()): void {
  const perSecond = rate();
  const capacity = Math.max(1, perSecond * 5);
  const b = buckets.get(clientId) ?? { tokens: capacity, at: now };
  b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * perSecond);
  b.at = now;
  buckets.set(clientId, b);
  if (b.tokens < 1) {
    const wait = Math.ceil((1 - b.tokens) / perSecond);
    throw new ScimError(429, null, `Too many requests from this client; retry in ${wait} s.`, {
      "retry-after": String(wait),
    });
  }
  b.tokens -= 1;
}
