import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getDatabase } from "@/db/client";
import { TooManyRequests } from "@/lib/errors";

/**
 * Throttling (hardening finding 8) with rate-limiter-flexible: counters in PostgreSQL (table `rate_limits`, created by
 * migration) where several processes share the load, in memory on the embedded database (one process holds it).
 * Each endpoint that can be abused declares its limit by name (`rateLimit` on defineRoute / defineAction; sign-in in
 * lib/auth); the answer beyond it is 429 with Retry-After. Limits are per person, and per address where nobody is
 * signed in yet. `LOCKSTEP_RATE_LIMITS="sign_in=10/60,export=30/60"` overrides them (points per seconds).
 */
const RATE_LIMITS = {
  /** Sign-in attempts (demo, passkey) per client address. */
  sign_in: { points: 20, seconds: 60 },
  /** CSV exports per person. */
  export: { points: 30, seconds: 60 },
  /** Import runs started per person. */
  import: { points: 30, seconds: 3600 },
  /** SCIM requests per provisioning client. */
  scim: { points: 1200, seconds: 60 },
} as const;
export type RateLimitName = keyof typeof RATE_LIMITS;

function configured(name: RateLimitName): { points: number; seconds: number } {
  const override = (process.env.LOCKSTEP_RATE_LIMITS ?? "")
    .split(",")
    .map((part) => /^\s*(\w+)\s*=\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(part))
    .find((m) => m?.[1] === name);
  return override ? { points: Number(override[2]), seconds: Number(override[3]) } : RATE_LIMITS[name];
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
    const options = { keyPrefix: name, points, duration: seconds };
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
