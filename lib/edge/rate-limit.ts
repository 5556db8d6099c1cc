import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDatabase } from "@/db/client";
import { TooManyRequests } from "@/lib/errors";

/**
 * Throttling (hardening finding 8) with rate-limiter-flexible: counters in PostgreSQL (table `rate_limits`, created by
 * migration) where several processes share the load, in memory on the embedded database (one process holds it).
 * Each endpoint that can be abused declares its limit by name (`rateLimit` on defineRoute / defineAction; sign-in in
 * lib/auth); the answer beyond it is 429 with Retry-After. Limits are per person, and per address where nobody is
 * signed in yet. `LOCKSTEP_RATE_LIMITS="sign_in=10/60,export=30/60"` overrides them (points per seconds);
 * `LOCKSTEP_SCIM_RATE` (requests per second) sets the SCIM one.
 */
const RATE_LIMITS = {
  /** Sign-in attempts (demo, passkey) per client address. */
  sign_in: { points: 20, seconds: 60 },
  /** CSV exports per person. */
  export: { points: 30, seconds: 60 },
  /** Import runs started per person. */
  import: { points: 30, seconds: 3600 },
  /** SCIM requests per provisioning client: LOCKSTEP_SCIM_RATE per second (default 20), in 5-second windows. */
  scim: { points: 100, seconds: 5 },
} as const;
export type RateLimitName = keyof typeof RATE_LIMITS;

function configured(name: RateLimitName): { points: number; seconds: number } {
  const override = (process.env.LOCKSTEP_RATE_LIMITS ?? "")
    .split(",")
    .map((part) => /^\s*(\w+)\s*=\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(part))
    .find((m) => m?.[1] === name);
  if (override) return { points: Number(override[2]), seconds: Number(override[3]) };
  const scimRate = Number(process.env.LOCKSTEP_SCIM_RATE);
  if (name === "scim" && Number.isFinite(scimRate) && scimRate > 0)
    return { points: Math.ceil(scimRate * 5), seconds: 5 };
  return RATE_LIMITS[name];
}

type Limiter = RateLimiterMemory | RateLimiterPostgres;
const g = globalThis as unknown as { __lockstepLimiters?: Map<string, Limiter> };

async function limiterFor(name: RateLimitName): Promise<Limiter> {
  const { points, seconds } = configured(name);
  const handle = await getDatabase();
  const key = `${handle.description}|${name}|${points}/${seconds}`;
  g.__lockstepLimiters ??= new Map();
  let limiter = g.__lockstepLimiters.get(key);
  if (!limiter) {
    // The counters of a limit belong to its configuration: changing a limit (or a test narrowing one) starts afresh
    // instead of reading counts made under another (on PostgreSQL the rows outlive the process).
    const options = { keyPrefix: `${name}:${points}/${seconds}`, points, duration: seconds };
    limiter = handle.pool
      ? new RateLimiterPostgres({ ...options, storeClient: handle.pool, tableName: "rate_limits", tableCreated: true })
      : new RateLimiterMemory(options);
    g.__lockstepLimiters.set(key, limiter);
  }
  return limiter;
}

/** Counts one request of `subject` ("person:12", "address:10.0.0.1") against the limit; throws TooManyRequests. */
export async function consumeRateLimit(name: RateLimitName, subject: string): Promise<void> {
  const limiter = await limiterFor(name);
  try {
    await limiter.consume(subject);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new TooManyRequests(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    throw err;
  }
}
