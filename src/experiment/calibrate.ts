/**
 * Calibration: the values of chosen scenario parameters that bring the
 * simulation closest to live results. Pure: the simulation comes in as a
 * function from parameter values to per-target statistics, so the loss and
 * the search are tested without simulating.
 *
 * Loss: the sum over live values k of z_k^2, z_k = (live_k - mean_k(theta)) / s_k,
 * where mean_k is the simulated mean of the metric in the live value's cell
 * and s_k^2 = se_k^2 + sd_k^2 / reps is the variance of that difference:
 * se_k is the live value's standard error (from its CI when given, else
 * sd_k / sqrt(n_k), n_k its number of runs, 1 when unknown) and sd_k the sd
 * of single simulated runs. sd_k is fixed for the whole search (the median
 * over the first grid), so the loss moves only with the means. A live value
 * whose metric never varies in the simulation (sd 0 everywhere) has no scale
 * and is left out of the loss (its residual is still reported).
 *
 * With common random numbers (replication r draws the same streams at every
 * theta) the loss changes smoothly with theta instead of jumping by the noise
 * of independent samples. If the model is right, the loss at the optimum is
 * about the number of live values, and loss <= min + 1 marks roughly a 68 %
 * interval for each parameter (the others held at their fitted values).
 */
import { argmin, clean, gridSearch, pointKey } from './grid-search.ts';
import type { Param } from './grid-search.ts';

export interface FitParam extends Param {
  /** The scenario path, e.g. `noise.errorRate`. */
  path: string;
}

export interface Target {
  metric: string;
  /** As in the live file: a number, `inf` or `all`. */
  period: string;
  replicas: number;
  value: number;
  /** Standard error of the live value, when the live file gives its CI. */
  se?: number;
  /** Runs behind the live value (1 when unknown). */
  n: number;
  source: string;
  line: number;
}

export interface SimStat {
  mean: number;
  sd: number;
  n: number;
}

export interface Evaluation {
  values: number[];
  stats: SimStat[];
  loss: number;
}

export interface Residual {
  target: Target;
  sim: SimStat;
  /** live - simulated mean. */
  residual: number;
  /** Scale of the residual (NaN when left out of the loss). */
  scale: number;
  z: number;
  fitted: boolean;
}

export interface Profile {
  path: string;
  /** Evaluated points through the optimum along this parameter (the others at their fitted values), by value. */
  points: { value: number; loss: number }[];
  /** Where loss <= min + 1 along the slice, interpolated between evaluated points. */
  low: Edge;
  high: Edge;
}

/** An end of the loss <= min + 1 interval: `open` when no evaluated point beyond it exceeds the limit (at the range's end, or not explored). */
export interface Edge {
  value: number;
  open: boolean;
}

export interface Calibration {
  params: FitParam[];
  targets: Target[];
  best: Evaluation;
  evaluations: Evaluation[];
  residuals: Residual[];
  profiles: Profile[];
}

export interface CalibrateOptions {
  budget: number;
  /** Extra evaluations per parameter and side to find where the loss exceeds min + 1 (default 2). */
  profileBudget?: number;
  /** Replications per simulated cell (the error of the simulated mean). */
  reps: number;
  resolution?: number;
  /** Called after each evaluation with its index and point. */
  progress?: (done: number, values: readonly number[]) => void;
}

export function calibrate(
  params: readonly FitParam[],
  targets: readonly Target[],
  simulate: (values: readonly number[]) => SimStat[],
  options: CalibrateOptions,
): Calibration {
  let count = 0;
  let scales: number[] = [];
  const evaluate = (x: number[]) => {
    const stats = simulate(x);
    options.progress?.(++count, x);
    return stats;
  };
  const score = (done: readonly { x: number[]; e: SimStat[] }[]) => {
    if (scales.length === 0) scales = targetScales(targets, done.map((d) => d.e), options.reps);
    return done.map((d) => loss(targets, d.e, scales));
  };
  const points = gridSearch(params, evaluate, score, { budget: options.budget, resolution: options.resolution });
  const evaluations: Evaluation[] = points.map((p) => ({ values: p.x, stats: p.e, loss: p.loss }));
  const bestOf = () => evaluations[argmin(evaluations.map((e) => e.loss))];
  widenProfiles(params, evaluations, bestOf, options.profileBudget ?? 2, (x) => {
    const stats = evaluate(x);
    evaluations.push({ values: x, stats, loss: loss(targets, stats, scales) });
  });
  const best = bestOf();
  const residuals = targets.map((t, k) => {
    const sim = best.stats[k];
    const residual = t.value - sim.mean;
    return { target: t, sim, residual, scale: scales[k], z: residual / scales[k], fitted: !Number.isNaN(scales[k]) };
  });
  return { params: [...params], targets: [...targets], best, evaluations, residuals, profiles: profiles(params, evaluations, best) };
}

/** s_k per target (see the module comment); NaN for a target whose sd is 0 or undefined at every first-grid point. */
export function targetScales(targets: readonly Target[], firstGrid: readonly SimStat[][], reps: number): number[] {
  return targets.map((t, k) => {
    const sds = firstGrid.map((s) => s[k].sd).filter((sd) => Number.isFinite(sd) && sd > 0).sort((a, b) => a - b);
    if (sds.length === 0) return NaN;
    const m = sds.length;
    const sd = m % 2 === 1 ? sds[(m - 1) / 2] : (sds[m / 2 - 1] + sds[m / 2]) / 2;
    const se = t.se ?? sd / Math.sqrt(Math.max(1, t.n));
    return Math.sqrt(se * se + (sd * sd) / reps);
  });
}

/** Sum of squared scaled residuals; +Infinity when a fitted metric is undefined in every run at this point. */
export function loss(targets: readonly Target[], stats: readonly SimStat[], scales: readonly number[]): number {
  let sum = 0;
  targets.forEach((t, k) => {
    if (Number.isNaN(scales[k])) return;
    const z = (t.value - stats[k].mean) / scales[k];
    sum += Number.isNaN(z) ? Infinity : z * z;
  });
  return sum;
}

/** Per parameter: the evaluated slice through the optimum and where loss <= min + 1 along it. */
function profiles(params: readonly FitParam[], evaluations: readonly Evaluation[], best: Evaluation): Profile[] {
  return params.map((p, i) => {
    const points = slice(evaluations, best, i);
    const at = points.findIndex((q) => q.value === best.values[i]);
    const limit = best.loss + 1;
    return { path: p.path, points, low: edge(points, at, -1, limit, p.integer), high: edge(points, at, 1, limit, p.integer) };
  });
}

function slice(evaluations: readonly Evaluation[], best: Evaluation, i: number): { value: number; loss: number }[] {
  const others = (v: readonly number[]) => pointKey(v.filter((_, j) => j !== i));
  return evaluations
    .filter((e) => others(e.values) === others(best.values))
    .map((e) => ({ value: e.values[i], loss: e.loss }))
    .sort((a, b) => a.value - b.value);
}

/**
 * Walks from the optimum in direction `dir` to the first point above
 * `limit`, interpolating the crossing (an integer parameter ends at its last
 * value inside).
 */
function edge(points: readonly { value: number; loss: number }[], at: number, dir: 1 | -1, limit: number, integer = false): Edge {
  for (let j = at + dir; j >= 0 && j < points.length; j += dir) {
    if (points[j].loss > limit) {
      const inside = points[j - dir];
      const outside = points[j];
      if (integer || !Number.isFinite(outside.loss)) return { value: inside.value, open: false };
      const f = (limit - inside.loss) / (outside.loss - inside.loss);
      return { value: inside.value + f * (outside.value - inside.value), open: false };
    }
  }
  return { value: points[dir === 1 ? points.length - 1 : 0].value, open: true };
}

/**
 * Where a profile edge is open short of the range's end, evaluates further
 * out along that parameter (twice as far from the optimum each time, at most
 * `perSide` points per side), so that the loss <= min + 1 interval closes.
 */
function widenProfiles(
  params: readonly FitParam[],
  evaluations: readonly Evaluation[],
  bestOf: () => Evaluation,
  perSide: number,
  add: (x: number[]) => void,
): void {
  // A point found on the way may beat the optimum; then its own slices are explored (a few passes at most).
  for (let pass = 0; pass < 3; pass++) {
    const start = bestOf();
    params.forEach((p, i) => {
      for (const dir of [-1, 1] as const) {
        for (let k = 0; k < perSide; k++) {
          const best = bestOf();
          const points = slice(evaluations, best, i);
          const e = edge(points, points.findIndex((q) => q.value === best.values[i]), dir, best.loss + 1, p.integer);
          const end = dir === 1 ? p.high : p.low;
          if (!e.open || e.value === end) break;
          const reach = Math.max(2 * Math.abs(e.value - best.values[i]), p.integer ? 1 : (p.high - p.low) / 32);
          const next = clean(p, best.values[i] + dir * reach);
          if (points.some((q) => q.value === next)) break;
          add(best.values.map((v, j) => (j === i ? next : v)));
        }
      }
    });
    if (bestOf() === start) return;
  }
}
