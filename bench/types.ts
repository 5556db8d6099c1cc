import type { DbHandle } from "@/db/client";

/** One measured figure, with the goal it is held to (if any). */
export type Measurement = {
  name: string;
  value: number;
  unit: string;
  target?: { max?: number; min?: number };
  note?: string;
};

/** A pillar's benchmarks: each receives the open database and returns what it measured. */
export type BenchSuite = {
  name: string;
  run: (handle: DbHandle, log: (line: string) => void) => Promise<Measurement[]>;
};

export function passes(m: Measurement): boolean {
  if (!m.target) return true;
  return (
    (m.target.max === undefined || m.value <= m.target.max) && (m.target.min === undefined || m.value >= m.target.min)
  );
}

/** Runs fn `times` times after `warmup` runs; returns the median and p95 in ms. */
export async function timeIt(
  fn: () => Promise<unknown>,
  times = 20,
  warmup = 3,
): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)],
    p95: samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)],
  };
}
