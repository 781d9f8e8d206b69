/**
 * The calibration loss: how far the simulation at one point is from the
 * live values, in units of the uncertainty of each difference. Pure, and
 * evaluated from that point's own statistics only, so that two searches that
 * reach the same predictions report the same loss.
 *
 * For live value k (the mean of n_k live runs, usually n_k = 1):
 *   z_k = (live_k - m_k) / s_k,   loss = sum of z_k^2,
 *   s_k^2 = v_k / n_k + sd_k^2 / reps,
 * m_k and sd_k the mean and sd of single simulated runs at the point (reps
 * runs), and v_k the variance of one live run if the model at the point is
 * right: the simulated sd_k^2, but at least the counting variance of the
 * metric, so that a spread the replications were too few to see still counts:
 *   a rate over N trials a run (N from the live file's `denominator` column,
 *   else the simulated count): binomial p (1 - p) / N at the model's rate p
 *   (Pearson's chi-square: the variance under the hypothesis tested), p kept
 *   at least one event in all simulated trials, 1 / (reps N), and at most
 *   1 - 1 / (reps N);
 *   a failure count: Poisson, at least max(m_k, 1 / reps);
 *   other metrics (times, pod counts, tasks_optimal): sd_k^2 only; a metric
 *   the model holds constant matches exactly or costs an infinite loss.
 * A live value given with a confidence interval uses its standard error
 * instead of v_k / n_k.
 * So a model that predicts no failure where live saw 0.235 % of ~1000
 * inserts pays (0.00235 / s)^2 with s from one event in reps x 1000 trials:
 * hundreds, not nothing.
 *
 * Searching, the scales are those of the current best point for every point
 * compared (weighted least squares with the weights of the estimate, as a
 * quasi-likelihood does): with each point's own scales a point would gain
 * merely by predicting a larger spread, which biases timing parameters
 * towards the noisier settings. At the optimum the two agree, so the loss
 * reported is that point's own.
 *
 * Meaning: if the model at the point is right, each z_k is about standard
 * normal and the loss follows a chi-square with m live values degrees of
 * freedom (m - p after fitting p parameters): `pValue` is the chance of a
 * loss at least this large. Intervals read loss <= min + 3.84 (a 95 %
 * profile interval for one parameter).
 */
import { chiSquareSf } from '../metrics/chi-square.ts';
import { counting } from '../metrics/denominators.ts';

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
  /** For a rate: the count it is a fraction of, summed over its n runs (the live file's `denominator`). */
  denominator?: number;
  source: string;
  line: number;
}

export interface SimStat {
  mean: number;
  sd: number;
  n: number;
  /** For a rate: the mean count it is a fraction of, per simulated run (NaN otherwise). */
  trials: number;
}

export interface Term {
  /** live - simulated mean. */
  residual: number;
  /** s_k: the standard deviation of the residual if the model is right. */
  scale: number;
  /** residual / scale; +-Infinity when the model cannot produce the live value, NaN never. */
  z: number;
}

/** 95 % point of the chi-square with 1 degree of freedom: loss <= min + this is a 95 % interval for one parameter. */
export const interval95 = 3.841458820694124;

/** One live value's term of the loss at one point (see the module comment), or with a given scale. */
export function term(t: Target, s: SimStat, reps: number, scale = scaleOf(t, s, reps)): Term {
  const residual = t.value - s.mean;
  if (Number.isNaN(s.mean)) return { residual, scale, z: Infinity }; // undefined in every simulated run
  const z = scale > 0 ? residual / scale : residual === 0 ? 0 : Math.sign(residual) * Infinity;
  return { residual, scale, z };
}

/** s_k at a point: the standard deviation of live - simulated mean if the model there is right. */
export function scaleOf(t: Target, s: SimStat, reps: number): number {
  const sd = Number.isFinite(s.sd) ? s.sd : 0;
  const live = t.se !== undefined ? t.se * t.se : Math.max(sd * sd, countingVariance(t, s, reps)) / Math.max(1, t.n);
  return Math.sqrt(live + (sd * sd) / reps);
}

/** Every target's scale at a point (NaN where the metric is undefined there). */
export function scalesAt(targets: readonly Target[], stats: readonly SimStat[], reps: number): number[] {
  return targets.map((t, k) => (Number.isNaN(stats[k].mean) ? NaN : scaleOf(t, stats[k], reps)));
}

/** The loss at a point with the scales of another point (the fitted one): what the search and the intervals compare. */
export function lossWith(targets: readonly Target[], stats: readonly SimStat[], scales: readonly number[], reps: number): number {
  let sum = 0;
  for (let k = 0; k < targets.length; k++) sum += term(targets[k], stats[k], reps, Number.isNaN(scales[k]) ? scaleOf(targets[k], stats[k], reps) : scales[k]).z ** 2;
  return sum;
}

/** The variance of one live run by counting alone, at the model's value (0 without a counting model). */
function countingVariance(t: Target, s: SimStat, reps: number): number {
  const c = counting(t.metric);
  if (c.kind === 'count') return Math.max(s.mean, 1 / reps);
  if (c.kind !== 'rate') return 0;
  const n = Math.max(1, t.n);
  const perRun = t.denominator !== undefined && t.denominator > 0 ? t.denominator / n : s.trials;
  if (!(perRun > 0)) return 0;
  const floor = 1 / (reps * perRun);
  const p = Math.min(1 - floor, Math.max(floor, s.mean));
  return (p * (1 - p)) / perRun;
}

/** The loss at a point: the sum of z^2 (+Infinity when a live value is impossible or undefined there). */
export function loss(targets: readonly Target[], stats: readonly SimStat[], reps: number): number {
  let sum = 0;
  for (let k = 0; k < targets.length; k++) sum += term(targets[k], stats[k], reps).z ** 2;
  return sum;
}

/** Degrees of freedom of a loss over m live values after fitting p parameters (at least 1). */
export function degreesOfFreedom(m: number, p: number): number {
  return Math.max(1, m - p);
}

/** The chance of a loss at least this large if the model is right (chi-square upper tail). */
export function pValue(lossValue: number, dof: number): number {
  return chiSquareSf(lossValue, dof);
}
