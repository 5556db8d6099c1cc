/**
 * The department tree with figures rolled up: each row carries its own people plus everyone below it, so a
 * collapsed row is the total of its subtree. Pure (no DB): queries count per department, this adds them up.
 */
export type Department = { id: number; name: string; parentId: number | null };

export type TreeRow<T> = {
  /** Department id, or null for the "No department" bucket. */
  id: number | null;
  name: string;
  parentId: number | null;
  depth: number;
  hasChildren: boolean;
  /** Figures of this department and every department below it. */
  value: T;
};

/**
 * Rows in display order (depth-first, siblings by `order`, then name), departments with nothing in their
 * subtree left out. `own` gives each department's own figures; `add` sums two values; `empty` is the zero.
 */
export function rollUpTree<T>(
  departments: readonly Department[],
  own: ReadonlyMap<number | null, T>,
  ops: { empty: () => T; add: (a: T, b: T) => T; isEmpty: (v: T) => boolean; order?: (a: T, b: T) => number },
): TreeRow<T>[] {
  const children = new Map<number | null, Department[]>();
  const known = new Set(departments.map((d) => d.id));
  for (const d of departments) {
    // A parent outside the list (or a cycle's way in) makes the department a root rather than losing it.
    const parent = d.parentId !== null && known.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const totals = new Map<number, T>();
  const visiting = new Set<number>();
  const total = (d: Department): T => {
    const cached = totals.get(d.id);
    if (cached !== undefined) return cached;
    if (visiting.has(d.id)) return ops.empty();
    visiting.add(d.id);
    let sum = own.get(d.id) ?? ops.empty();
    for (const c of children.get(d.id) ?? []) sum = ops.add(sum, total(c));
    totals.set(d.id, sum);
    return sum;
  };
  const sortSiblings = (list: Department[]) =>
    [...list].sort((a, b) => (ops.order ? ops.order(total(a), total(b)) : 0) || a.name.localeCompare(b.name));

  const rows: TreeRow<T>[] = [];
  const emitted = new Set<number>();
  const walk = (d: Department, depth: number) => {
    if (emitted.has(d.id)) return;
    emitted.add(d.id);
    const value = total(d);
    if (ops.isEmpty(value)) return;
    const kids = sortSiblings(children.get(d.id) ?? []).filter((c) => !ops.isEmpty(total(c)));
    rows.push({
      id: d.id,
      name: d.name,
      parentId: d.parentId !== null && known.has(d.parentId) ? d.parentId : null,
      depth,
      hasChildren: kids.length > 0,
      value,
    });
    for (const c of kids) walk(c, depth + 1);
  };
  for (const root of sortSiblings(children.get(null) ?? [])) walk(root, 0);
  const unassigned = own.get(null);
  if (unassigned !== undefined && !ops.isEmpty(unassigned)) {
    rows.push({ id: null, name: "No department", parentId: null, depth: 0, hasChildren: false, value: unassigned });
  }
  return rows;
}

/** Strength counts 0–5, the value most heatmap rows carry. */
export type StrengthCounts = [number, number, number, number, number, number];
export const zeroCounts = (): StrengthCounts => [0, 0, 0, 0, 0, 0];
export const addCounts = (a: StrengthCounts, b: StrengthCounts): StrengthCounts =>
  a.map((n, i) => n + b[i]) as StrengthCounts;
export const sumCounts = (c: readonly number[]) => c.reduce((a, b) => a + b, 0);

/**
 * Minimum cell size for viewers who may see aggregates only (executives): a department with fewer than `min` people
 * of its own is not shown on its own — its figures are counted in its parent department (deepest first, so they
 * climb until they sit in a cell of at least `min`), which keeps every total exact while no row describes one or two
 * identifiable people (top-level departments stay as they are). Returns a new map; departments left with nothing of their own disappear from the tree.
 */
export function mergeSmallCells<T>(
  departments: readonly Department[],
  own: ReadonlyMap<number | null, T>,
  min: number,
  ops: { add: (a: T, b: T) => T; size: (v: T) => number },
): Map<number | null, T> {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const depth = (d: Department): number => {
    let n = 0;
    for (let p = d.parentId; p !== null && n < departments.length; p = byId.get(p)?.parentId ?? null) n++;
    return n;
  };
  const merged = new Map(own);
  for (const d of [...departments].sort((a, b) => depth(b) - depth(a))) {
    const value = merged.get(d.id);
    if (value === undefined || ops.size(value) === 0 || ops.size(value) >= min) continue;
    // A top-level department has no parent to hide in; "No department" would misstate where its people work.
    const parent = d.parentId !== null && byId.has(d.parentId) ? d.parentId : null;
    if (parent === null) continue;
    const into = merged.get(parent);
    merged.set(parent, into === undefined ? value : ops.add(into, value));
    merged.delete(d.id);
  }
  return merged;
}
