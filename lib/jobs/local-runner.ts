import "server-only";
import { and, asc, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { localJobs } from "@/db/schema";
import { cronMatches } from "./cron";
import { enqueueJobs } from "./enqueue";
import type { JobHandlers, JobHelpers, Schedule } from "./types";

const jobColumns = {
  id: localJobs.id,
  name: localJobs.name,
  payload: localJobs.payload,
  attempts: localJobs.attempts,
  maxAttempts: localJobs.maxAttempts,
  lockedUntil: localJobs.lockedUntil,
  concurrencyGroup: localJobs.concurrencyGroup,
  concurrencyLimit: localJobs.concurrencyLimit,
};
/** A claimed job: `lockedUntil` is our lease (set from a JS Date, so it compares back exactly). */
type JobRow = Omit<Pick<typeof localJobs.$inferSelect, keyof typeof jobColumns>, "lockedUntil"> & { lockedUntil: Date };

/** Our own lease only: a re-enqueue with the same key while we ran must survive. */
const ours = (job: JobRow) => and(eq(localJobs.id, job.id), eq(localJobs.lockedUntil, job.lockedUntil));

const LEASE_MS = 5 * 60_000;

/** Crash-safety backoff of the runner itself (handlers schedule their own domain retries). */
const crashBackoffMs = (attempt: number) => Math.min(10 * 60_000, 1000 * 2 ** attempt);

/**
 * The in-process runner for embedded PGlite (one process, one connection): polls `local_jobs`, runs due
 * jobs with a global concurrency and per-group limits, the same handlers graphile-worker runs on PostgreSQL.
 */
export class LocalRunner {
  private active = 0;
  private readonly groups = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private lastScheduleMinute = "";
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly handlers: JobHandlers,
    private readonly opts: {
      concurrency?: number;
      pollMs?: number;
      now?: () => Date;
      schedules?: Schedule[];
      log?: (l: string) => void;
    } = {},
  ) {}

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private helpers(): JobHelpers {
    return {
      db: this.db,
      now: () => this.now(),
      enqueue: (jobs) => enqueueJobs(this.db, jobs),
      log: this.opts.log ?? (() => {}),
    };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.opts.pollMs ?? 500);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** One polling round: enqueue due schedules, then start as many due jobs as the limits allow. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      await this.fireSchedules();
      return await this.startDue();
    } finally {
      this.ticking = false;
    }
  }

  /** Runs every due job to completion, again and again until none is due (tests, scripts). */
  async drain(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const started = await this.startDue();
      await Promise.allSettled([...this.inFlight]);
      total += started;
      if (started === 0 && this.inFlight.size === 0) return total;
    }
    return total;
  }

  private async fireSchedules(): Promise<void> {
    const now = this.now();
    const minute = now.toISOString().slice(0, 16);
    if (minute === this.lastScheduleMinute) return;
    this.lastScheduleMinute = minute;
    const due = (this.opts.schedules ?? []).filter((s) => cronMatches(s.cron, now));
    // Keyed by the minute, so two ticks (or two processes) in the same minute enqueue it once.
    await enqueueJobs(
      this.db,
      due.map((s) => ({ name: s.name, payload: s.payload ?? {}, key: `schedule:${s.name}:${minute}`, runAt: now })),
    );
  }

  private async startDue(): Promise<number> {
    const capacity = (this.opts.concurrency ?? 4) - this.active;
    if (capacity <= 0) return 0;
    const now = this.now();
    const free = or(isNull(localJobs.lockedUntil), lt(localJobs.lockedUntil, now));
    const candidates = await this.db
      .select({ id: localJobs.id })
      .from(localJobs)
      .where(and(lte(localJobs.runAt, now), free))
      .orderBy(asc(localJobs.runAt), asc(localJobs.id))
      .limit(capacity * 4);
    let started = 0;
    for (const { id } of candidates) {
      if (this.active >= (this.opts.concurrency ?? 4)) break;
      const lockedUntil = new Date(this.now().getTime() + LEASE_MS);
      const [claimed] = await this.db
        .update(localJobs)
        .set({ lockedUntil, attempts: sql`${localJobs.attempts} + 1` })
        .where(and(eq(localJobs.id, id), free))
        .returning(jobColumns);
      if (!claimed) continue;
      const job: JobRow = { ...claimed, lockedUntil };
      const group = job.concurrencyGroup;
      if (group && (this.groups.get(group) ?? 0) >= (job.concurrencyLimit ?? 1)) {
        // The group is full: hand the job back untouched for a later round.
        await this.db
          .update(localJobs)
          .set({ lockedUntil: null, attempts: sql`${localJobs.attempts} - 1` })
          .where(eq(localJobs.id, job.id));
        continue;
      }
      started++;
      this.run(job);
    }
    return started;
  }

  private run(job: JobRow): void {
    const group = job.concurrencyGroup;
    this.active++;
    if (group) this.groups.set(group, (this.groups.get(group) ?? 0) + 1);
    const p = this.execute(job).finally(() => {
      this.active--;
      if (group) this.groups.set(group, (this.groups.get(group) ?? 1) - 1);
      this.inFlight.delete(p);
    });
    this.inFlight.add(p);
  }

  private async execute(job: JobRow): Promise<void> {
    const handler = this.handlers[job.name];
    try {
      if (!handler) throw new Error(`no handler for job "${job.name}"`);
      await handler(JSON.parse(job.payload) as Record<string, unknown>, this.helpers());
      await this.db.delete(localJobs).where(ours(job));
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      (this.opts.log ?? console.error)(`[jobs] ${job.name} #${job.id} attempt ${job.attempts} failed: ${message}`);
      const giveUp = job.attempts >= job.maxAttempts;
      const runAt = giveUp
        ? sql`'infinity'::timestamptz`
        : new Date(this.now().getTime() + crashBackoffMs(job.attempts));
      await this.db
        .update(localJobs)
        .set({ lockedUntil: null, lastError: message.slice(0, 1000), runAt })
        .where(ours(job))
        .catch(() => {});
    }
  }
}
