/**
 * Calibration: the values of chosen scenario parameters that bring the
 * simulation closest to live results. Pure: the simulation comes in as a
 * function from parameter values to per-target statistics, so the loss and
 * the search are tested without simulating.
 *
 * The loss (loss.ts) is a chi-square computed from each point's own
 * statistics. The search:
 * - discrete parameters (integers, and choices such as ingress.policy) are
 *   enumerated: every combination of their values gets its own search of the
 *   continuous ones, so the profile of a discrete parameter is the best loss
 *   at each of its values;
 * - continuous parameters: a grid over the box, then compass steps around
 *   the best point (grid-search.ts), at most `budget` evaluations per
 *   combination; every evaluation runs replications 0..reps-1 (common random
 *   numbers: the loss moves with the parameters, not with fresh noise);
 * - then a quadratic surrogate through the points near the best one
 *   (surrogate.ts), their losses taken with the scales of the best point
 *   (loss.ts: weights of the estimate), locates the optimum, which is
 *   evaluated, and its curvature gives each continuous parameter's 95 %
 *   interval (loss <= min + 3.84); repeated with the new optimum's scales
 *   until it stays put (a few rounds). Where the quadratic does not fit (too few points,
 *   not convex, or its optimum evaluates worse than the best point by more
 *   than 3.84), the best evaluated point and the evaluated slice through it
 *   are used instead.
 */
import { argmin, clean, gridSearch, pointKey, product } from './grid-search.ts';
import type { Param } from './grid-search.ts';
import { degreesOfFreedom, interval95, loss, lossWith, pValue, scalesAt, term, type SimStat, type Target, type Term } from './loss.ts';
import { fitMeans, fitSurrogate } from './surrogate.ts';

export type { SimStat, Target } from './loss.ts';

export interface FitParam extends Param {
  /** The scenario path, e.g. `noise.errorRate`. */
  path: string;
  /** A setting that takes one of these values (the parameter is its index, an integer). */
  choices?: readonly string[];
}

export interface Evaluation {
  values: number[];
  stats: SimStat[];
  loss: number;
}

export interface Residual extends Term {
  target: Target;
  sim: SimStat;
}

export interface Profile {
  path: string;
  /** Continuous: the evaluated points through the optimum along it (the others at their fitted values). Discrete: the best loss at each value. By value. */
  points: { value: number; loss: number }[];
  /** Ends of the 95 % interval (loss <= min + 3.84); for a discrete parameter its lowest and highest accepted value. */
  low: Edge;
  high: Edge;
  /** How the interval was read. */
  method: 'surrogate' | 'slice' | 'discrete';
  /** Discrete: every value whose best loss is within min + 3.84. */
  accepted?: number[];
}

/** An end of an interval: `open` when nothing beyond it was seen to exceed the limit (at the range's end, or not explored). */
export interface Edge {
  value: number;
  open: boolean;
}

export interface Calibration {
  params: FitParam[];
  targets: Target[];
  reps: number;
  best: Evaluation;
  evaluations: Evaluation[];
  residuals: Residual[];
  profiles: Profile[];
  /** Degrees of freedom of the loss at the optimum: live values minus fitted parameters (at least 1). */
  dof: number;
  /** The chance of a loss at least best.loss if the model is right (chi-square). */
  pValue: number;
}

export interface CalibrateOptions {
  /** At most this many evaluations per combination of the discrete parameters' values (plus one at the surrogate's optimum). */
  budget: number;
  /** Replications per simulated cell (the error of the simulated mean). */
  reps: number;
  resolution?: number;
  /** Called after each evaluation with its index and point. */
  progress?: (done: number, values: readonly number[]) => void;
}

/** Combinations of the discrete parameters' values, in order (the last parameter fastest). */
export function discreteCombinations(params: readonly FitParam[]): number[][] {
  return product(params.filter((p) => p.integer).map((p) => Array.from({ length: p.high - p.low + 1 }, (_, k) => p.low + k)));
}

export function calibrate(
  params: readonly FitParam[],
  targets: readonly Target[],
  simulate: (values: readonly number[]) => SimStat[],
  options: CalibrateOptions,
): Calibration {
  const { reps } = options;
  const discrete = params.flatMap((p, i) => (p.integer ? [i] : []));
  const continuous = params.flatMap((p, i) => (p.integer ? [] : [i]));
  const cparams = continuous.map((i) => params[i]);
  const evaluations: Evaluation[] = [];
  const seen = new Map<string, Evaluation>();
  const evaluate = (x: number[]): Evaluation => {
    const known = seen.get(pointKey(x));
    if (known) return known;
    const stats = simulate(x);
    const e = { values: x, stats, loss: loss(targets, stats, reps) };
    evaluations.push(e);
    seen.set(pointKey(x), e);
    options.progress?.(evaluations.length, x);
    return e;
  };
  const merge = (combo: readonly number[], y: readonly number[]) => {
    const x = new Array<number>(params.length);
    discrete.forEach((i, k) => (x[i] = combo[k]));
    continuous.forEach((i, k) => (x[i] = y[k]));
    return x;
  };
  const results = discreteCombinations(params).map((combo) => {
    if (continuous.length === 0) return { best: evaluate(merge(combo, [])), quadratic: null, scales: null };
    const own = (e: Evaluation) => e.loss;
    const at = (scales: readonly number[]) => (e: Evaluation) => lossWith(targets, e.stats, scales, reps);
    // Each level compares its points with the scales of the best one so far.
    gridSearch(cparams, (y) => evaluate(merge(combo, y)), (done) => {
      const es = done.map((d) => d.e);
      return es.map(at(scalesAt(targets, es[argmin(es.map(own))].stats, reps)));
    }, { budget: options.budget, resolution: options.resolution });
    const mine = () => evaluations.filter((e) => discrete.every((i, k) => e.values[i] === combo[k]));
    // Self-consistent weights: re-read the optimum with the scales of the optimum until it stays put.
    let best = mine()[argmin(mine().map(own))];
    let quadratic: { low: number; high: number; lowOpen: boolean; highOpen: boolean }[] | null = null;
    for (let round = 0; round < 4; round++) {
      const scales = scalesAt(targets, best.stats, reps);
      const es = mine();
      const ls = es.map(at(scales));
      const lowest = es[argmin(ls)];
      const coords = es.map((e) => continuous.map((i) => e.values[i]));
      const smoothed = fitMeans(cparams, coords, es.map((e) => e.stats.map((st) => st.mean)), ls, 4 * interval95, (means) =>
        lossWith(targets, means.map((m, k) => ({ ...lowest.stats[k], mean: m })), scales, reps));
      const fit = smoothed ? null : fitSurrogate(cparams, coords, ls, 4 * interval95);
      let next = lowest;
      quadratic = null;
      const x = smoothed?.x ?? fit?.x;
      if (x) {
        const candidate = evaluate(merge(combo, x.map((v, k) => clean(cparams[k], roundToRange(cparams[k], v)))));
        if (at(scales)(candidate) <= at(scales)(lowest) + interval95) {
          next = candidate;
          quadratic = smoothed
            ? smoothed.extent(interval95)
            : fit!.halfWidth(interval95).map((h, k) => ({ low: x[k] - h, high: x[k] + h, lowOpen: false, highOpen: false }));
        }
      }
      if (next === best) break;
      best = next;
    }
    return { best, quadratic, scales: scalesAt(targets, best.stats, reps) };
  });
  const chosen = results[argmin(results.map((r) => r.best.loss))];
  const best = chosen.best;
  const profiles = params.map((p, i): Profile => {
    if (p.integer) return discreteProfile(p, i, results.map((r) => r.best));
    const points = slice(evaluations, best, i, chosen.scales ? (e) => lossWith(targets, e.stats, chosen.scales!, reps) : (e) => e.loss);
    const k = continuous.indexOf(i);
    const q = chosen.quadratic?.[k];
    if (q && Number.isFinite(q.low) && Number.isFinite(q.high)) {
      // Never narrower than the evaluated points of this combination that are themselves within the limit
      // (a surrogate can bend where the response has a knee): the interval takes them in.
      const fitted = (e: Evaluation) => lossWith(targets, e.stats, chosen.scales!, reps);
      const limit = fitted(best) + interval95;
      const inside = evaluations.filter((e) => discrete.every((j) => e.values[j] === best.values[j]) && fitted(e) <= limit).map((e) => e.values[i]);
      const lo = Math.min(q.low, ...inside);
      const hi = Math.max(q.high, ...inside);
      // An end at the range's end, or at the end of the points the surrogate was fitted to, is open.
      const low = lo <= p.low ? { value: p.low, open: true } : { value: lo, open: lo === q.low && q.lowOpen };
      const high = hi >= p.high ? { value: p.high, open: true } : { value: hi, open: hi === q.high && q.highOpen };
      return { path: p.path, points, method: 'surrogate', low, high };
    }
    const at = points.findIndex((q) => q.value === best.values[i]);
    const limit = points[at].loss + interval95;
    return { path: p.path, points, method: 'slice', low: edge(points, at, -1, limit), high: edge(points, at, 1, limit) };
  });
  const residuals = targets.map((t, k) => ({ target: t, sim: best.stats[k], ...term(t, best.stats[k], reps) }));
  const dof = degreesOfFreedom(targets.length, params.length);
  return { params: [...params], targets: [...targets], reps, best, evaluations, residuals, profiles, dof, pValue: pValue(best.loss, dof) };
}

/** A surrogate's optimum to 1/1000 of the range or finer (a power of ten), so that it prints as the number it is worth. */
function roundToRange(p: Param, v: number): number {
  const step = 10 ** Math.floor(Math.log10((p.high - p.low) / 1000));
  return Number((Math.round(v / step) * step).toPrecision(12));
}

/** A discrete parameter: the best loss at each of its values (the others re-fitted), and the values within min + 3.84. */
function discreteProfile(p: FitParam, i: number, bests: readonly Evaluation[]): Profile {
  const byValue = new Map<number, number>();
  for (const e of bests) byValue.set(e.values[i], Math.min(byValue.get(e.values[i]) ?? Infinity, e.loss));
  const points = [...byValue.entries()].map(([value, l]) => ({ value, loss: l })).sort((a, b) => a.value - b.value);
  const min = Math.min(...points.map((q) => q.loss));
  const accepted = points.filter((q) => q.loss <= min + interval95).map((q) => q.value);
  return { path: p.path, points, method: 'discrete', accepted, low: { value: accepted[0], open: false }, high: { value: accepted[accepted.length - 1], open: false } };
}

/** The evaluated points through `best` along parameter i, with their loss at the optimum's scales. */
function slice(evaluations: readonly Evaluation[], best: Evaluation, i: number, lossOf: (e: Evaluation) => number): { value: number; loss: number }[] {
  const others = (v: readonly number[]) => pointKey(v.filter((_, j) => j !== i));
  return evaluations
    .filter((e) => others(e.values) === others(best.values))
    .map((e) => ({ value: e.values[i], loss: lossOf(e) }))
    .sort((a, b) => a.value - b.value);
}

/** Walks from the optimum in direction `dir` to the first point above `limit`, interpolating the crossing. */
function edge(points: readonly { value: number; loss: number }[], at: number, dir: 1 | -1, limit: number): Edge {
  for (let j = at + dir; j >= 0 && j < points.length; j += dir) {
    if (points[j].loss > limit) {
      const inside = points[j - dir];
      const outside = points[j];
      if (!Number.isFinite(outside.loss)) return { value: inside.value, open: false };
      const f = (limit - inside.loss) / (outside.loss - inside.loss);
      return { value: inside.value + f * (outside.value - inside.value), open: false };
    }
  }
  return { value: points[dir === 1 ? points.length - 1 : 0].value, open: true };
}
