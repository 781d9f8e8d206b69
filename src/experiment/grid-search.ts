/**
 * A deterministic bounded search: a grid over the whole box, then a compass
 * search from its best point (evaluate the best point moved by +-h along each
 * parameter; move to a better one if any, else halve h), starting at half the
 * grid's spacing, until the spacing is below the resolution or the budget of
 * evaluations is spent. The grid makes it global enough for the few
 * parameters calibration fits; the compass steps refine around the best point
 * with 2 evaluations per parameter per step. Integer parameters take integer
 * points and stop refining below a spacing of 1. It compares values only,
 * never estimates gradients, so the small steps of a simulated objective do
 * not mislead it.
 */

export interface Param {
  low: number;
  high: number;
  integer: boolean;
}

export interface SearchOptions {
  /** At most this many evaluations (distinct points). */
  budget: number;
  /** Stop refining a continuous parameter when its spacing is below this fraction of its range. */
  resolution?: number;
}

/**
 * Grid points per parameter of the first grid: about half the budget on it,
 * 3 to 9 per parameter (fewer for an integer range that has fewer values).
 */
export function initialPoints(params: readonly Param[], budget: number): number[] {
  const d = params.length;
  const m = Math.max(2, Math.min(9, Math.floor((budget / 2) ** (1 / d))));
  return params.map((p) => (p.integer ? Math.min(m, p.high - p.low + 1) : m));
}

/** The first grid: evenly spaced points including both ends, row-major (the last parameter fastest). */
export function initialGrid(params: readonly Param[], counts: readonly number[]): number[][] {
  const axes = params.map((p, i) => axisPoints(p, counts[i]));
  return product(axes);
}

function axisPoints(p: Param, count: number): number[] {
  if (count <= 1 || p.high === p.low) return [clean(p, p.low)];
  const pts = Array.from({ length: count }, (_, k) => clean(p, p.low + ((p.high - p.low) * k) / (count - 1)));
  return [...new Set(pts)];
}

/**
 * Every grid spacing (range / (m - 1), m <= 9) halved up to 20 times is a
 * whole multiple of this fraction of the range.
 */
const lattice = 840 * 2 ** 20;

/**
 * Clamped to the range and snapped (integers to integers, others to the
 * lattice of the grids, then 10 significant digits), so that the same point
 * reached by different sums is one point and prints cleanly.
 */
export function clean(p: Param, x: number): number {
  const y = Math.min(p.high, Math.max(p.low, x));
  if (p.integer) return Math.round(y);
  const q = (p.high - p.low) / lattice;
  return Number((p.low + Math.round((y - p.low) / q) * q).toPrecision(10));
}

export function product(axes: readonly (readonly number[])[]): number[][] {
  let out: number[][] = [[]];
  for (const axis of axes) out = out.flatMap((prefix) => axis.map((v) => [...prefix, v]));
  return out;
}

/** The spacing of the first grid per parameter. */
export function initialSpacing(params: readonly Param[], counts: readonly number[]): number[] {
  return params.map((p, i) => (counts[i] > 1 ? (p.high - p.low) / (counts[i] - 1) : 0));
}

/** Whether a parameter still refines at this spacing. */
export function refines(p: Param, spacing: number, resolution: number): boolean {
  return p.integer ? spacing >= 1 : spacing > (p.high - p.low) * resolution;
}

/**
 * The compass neighbours of `best` at spacing `h`: each parameter moved by
 * -h and +h, in parameter order. An integer parameter always moves by at
 * least 1, so its neighbours are tried wherever the others take the best point.
 */
export function neighbours(params: readonly Param[], best: readonly number[], h: readonly number[], resolution: number): number[][] {
  const out: number[][] = [];
  params.forEach((p, i) => {
    const step = p.integer ? Math.max(1, Math.round(h[i])) : h[i];
    if (!p.integer && !refines(p, h[i], resolution)) return;
    for (const dir of [-1, 1]) out.push(best.map((v, j) => (j === i ? clean(p, v + dir * step) : v)));
  });
  return out.filter((x) => pointKey(x) !== pointKey(best));
}

export const pointKey = (x: readonly number[]): string => x.join(',');

/**
 * Runs the search. `evaluate` is called once per distinct point, in a fixed
 * order; `score` turns the points evaluated so far into losses (it may
 * depend on all of them, e.g. for scales taken from the first grid) and is
 * called after the first grid and after each level.
 */
export function gridSearch<E>(
  params: readonly Param[],
  evaluate: (x: number[]) => E,
  score: (evaluated: readonly { x: number[]; e: E }[]) => number[],
  options: SearchOptions,
): { x: number[]; e: E; loss: number }[] {
  const resolution = options.resolution ?? 1e-3;
  const counts = initialPoints(params, options.budget);
  const first = initialGrid(params, counts);
  if (first.length > options.budget) {
    throw new RangeError(`a first grid of ${first.length} points exceeds the budget of ${options.budget} evaluations`);
  }
  const done: { x: number[]; e: E }[] = [];
  const seen = new Set<string>();
  const run = (points: readonly number[][]) => {
    for (const x of points) {
      if (seen.has(pointKey(x))) continue;
      seen.add(pointKey(x));
      done.push({ x, e: evaluate(x) });
    }
  };
  run(first);
  let losses = score(done);
  let h = initialSpacing(params, counts).map((x) => x / 2);
  while (params.some((p, i) => refines(p, h[i], resolution)) && done.length < options.budget) {
    const bestAt = argmin(losses);
    const next = neighbours(params, done[bestAt].x, h, resolution).filter((x) => !seen.has(pointKey(x)));
    run(next.slice(0, options.budget - done.length));
    losses = score(done);
    // Stay at this spacing while it finds better points; halve it once the best point is a local minimum.
    if (argmin(losses) === bestAt) h = h.map((x) => x / 2);
  }
  return done.map((d, i) => ({ ...d, loss: losses[i] }));
}

/** Index of the smallest value (NaN counts as +Infinity); ties go to the earliest. */
export function argmin(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) {
    const a = Number.isNaN(xs[i]) ? Infinity : xs[i];
    const b = Number.isNaN(xs[best]) ? Infinity : xs[best];
    if (a < b) best = i;
  }
  return best;
}
