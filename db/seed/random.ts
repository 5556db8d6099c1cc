/**
 * Deterministic pseudo-randomness. In SQL every "random" choice is a hash of a row key and a salt
 * (`hashint8extended`, the stable hash PostgreSQL uses for hash partitioning), so the same rows come out on
 * every run and on both engines. In TypeScript a seeded PRNG plays the same role for the few choices made there.
 * Every helper returns a SQL text fragment; keys are SQL expressions.
 */

/** Signed 64-bit hash of `key` under `salt`. */
const hashOf = (key: string, salt: number): string => `hashint8extended((${key})::int8, ${salt})`;

/** Uniform float in [0, 1). */
export const u = (key: string, salt: number): string => `((${hashOf(key, salt)} & 2147483647)::float8 / 2147483648.0)`;

/** Uniform integer in [0, n). */
export const pick = (key: string, salt: number, n: string | number): string =>
  `((${hashOf(key, salt)} & 2147483647) % (${n}))::int`;

/** One key out of two (e.g. identity × system); fits int8 for ids below ~9e12. */
export const key2 = (a: string, b: string): string => `((${a})::int8 * 1000003 + (${b})::int8)`;

/** SQL string literal. */
export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * `CASE WHEN x < c1 THEN 'a' WHEN x < c2 THEN 'b' … END` for a weighted choice, where `x` is a uniform
 * [0,1) column (compute it once in a subquery and pass its name, so the hash is not recomputed per branch).
 */
export function weighted(x: string, choices: ReadonlyArray<readonly [string, number]>): string {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const whens = choices
    .slice(0, -1)
    .map(([value, w]) => {
      acc += w / total;
      return `WHEN ${x} < ${acc.toFixed(6)} THEN ${lit(value)}`;
    })
    .join(" ");
  return `(CASE ${whens} ELSE ${lit(choices[choices.length - 1][0])} END)`;
}

/** Small, fast, seeded PRNG (mulberry32) for the choices made in TypeScript. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
