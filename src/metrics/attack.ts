/**
 * Attack metrics (README "Attack metrics"), each defined once by a pure
 * function: per run from an attacker's counts, per cell from its runs'
 * values. A run not compromised within the horizon is censored there: its
 * time to compromise is not a number (NaN, written empty), and the cell's
 * survival statistics (Kaplan-Meier) treat it as censored at the horizon.
 */
import type { AttackCounts } from './attack-counts.ts';
import { attackRunMetrics } from '../schema/metric-names.ts';

/** The values of attackRunMetrics, from the counts. */
export function attackRunValues(c: AttackCounts): number[] {
  const compromised = c.compromisedAt <= c.horizon ? 1 : 0;
  let stage = 0;
  c.stageTimes.forEach((t, k) => {
    if (t <= c.horizon) stage = k + 1;
  });
  return [
    compromised, compromised ? c.compromisedAt : NaN, c.horizon, c.attempts, c.requests, c.footholds,
    c.footholdSeconds, c.horizon > 0 ? (c.footholdSeconds / c.horizon) * 3600 : NaN, c.maxFootholds, stage,
    ...c.stageTimes.map((t) => (t <= c.horizon ? t : NaN)),
  ];
}

/** A cell-level statistic: an estimate with its 95 % interval (NaN where it does not exist). */
export interface Estimate {
  n: number;
  value: number;
  low: number;
  high: number;
}

const z = 1.959963984540054;

/** Wilson score interval of a proportion k/n. */
export function wilson(k: number, n: number): Estimate {
  if (n === 0) return { n, value: NaN, low: NaN, high: NaN };
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  // Exact at the ends: 0/n has a lower bound of 0 and n/n an upper bound of 1.
  return { n, value: p, low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/** One step of a Kaplan-Meier curve: S(t) just after `time`, with Greenwood's variance and a log-log 95 % band. */
export interface SurvivalStep {
  time: number;
  atRisk: number;
  events: number;
  survival: number;
  low: number;
  high: number;
}

/**
 * Kaplan-Meier estimate from times to compromise (NaN: censored at
 * `horizons[i]`). The first step is (0, 1). Events at the same time as a
 * censoring come first (the usual convention).
 */
export function kaplanMeier(times: readonly number[], horizons: readonly number[]): SurvivalStep[] {
  const obs = times.map((t, i) => (Number.isNaN(t) ? { t: horizons[i], event: 0 } : { t, event: 1 })).filter((o) => !Number.isNaN(o.t));
  obs.sort((a, b) => a.t - b.t || b.event - a.event);
  const steps: SurvivalStep[] = [{ time: 0, atRisk: obs.length, events: 0, survival: 1, low: 1, high: 1 }];
  let atRisk = obs.length;
  let s = 1;
  let greenwood = 0;
  for (let i = 0; i < obs.length; ) {
    const t = obs[i].t;
    let d = 0;
    let c = 0;
    for (; i < obs.length && obs[i].t === t; i++) obs[i].event ? d++ : c++;
    if (d > 0) {
      s *= 1 - d / atRisk;
      if (atRisk > d) greenwood += d / (atRisk * (atRisk - d));
      steps.push({ time: t, atRisk, events: d, survival: s, ...logLogBand(s, greenwood) });
    }
    atRisk -= d + c;
  }
  return steps;
}

/** The log-log (Kalbfleisch-Prentice) band of S: never outside [0, 1]. */
function logLogBand(s: number, greenwood: number): { low: number; high: number } {
  if (s <= 0) return { low: 0, high: 0 };
  if (s >= 1) return { low: 1, high: 1 };
  const se = Math.sqrt(greenwood) / Math.abs(Math.log(s));
  return { low: s ** Math.exp(z * se), high: s ** Math.exp(-z * se) };
}

/**
 * Median time to compromise: the first time S <= 0.5, with the interval of
 * Brookmeyer and Crowley (the times where the band crosses 0.5); NaN when
 * the curve (or its band) never gets there within the horizon.
 */
export function kmMedian(steps: readonly SurvivalStep[]): Estimate {
  const n = steps[0]?.atRisk ?? 0;
  const first = (f: (s: SurvivalStep) => boolean) => steps.find(f)?.time ?? NaN;
  return { n, value: first((s) => s.survival <= 0.5), low: first((s) => s.low <= 0.5), high: first((s) => s.high <= 0.5) };
}

/**
 * Restricted mean time to compromise up to `horizon` (the area under S up
 * to the horizon) with the usual KM variance sum over event times of
 * A_i^2 d_i / (n_i (n_i - d_i)), A_i the area from t_i to the horizon.
 */
export function restrictedMean(steps: readonly SurvivalStep[], horizon: number): Estimate {
  const n = steps[0]?.atRisk ?? 0;
  if (n === 0 || !(horizon > 0)) return { n, value: NaN, low: NaN, high: NaN };
  const inside = steps.filter((s) => s.time <= horizon);
  // Area to the right of each step: A_i = sum over later pieces.
  const areas = new Array<number>(inside.length).fill(0);
  let area = 0;
  for (let i = inside.length - 1; i >= 0; i--) {
    const to = i + 1 < inside.length ? inside[i + 1].time : horizon;
    area += inside[i].survival * (to - inside[i].time);
    areas[i] = area;
  }
  let variance = 0;
  for (let i = 1; i < inside.length; i++) {
    const { atRisk: r, events: d } = inside[i];
    if (r > d) variance += (areas[i] ** 2 * d) / (r * (r - d));
  }
  const half = z * Math.sqrt(variance);
  return { n, value: area, low: Math.max(0, area - half), high: Math.min(horizon, area + half) };
}

/** The cell-level rows of one attacker (summary.csv), from its runs' per-run values. */
export function attackCellMetrics(name: string): string[] {
  const p = `attack_${name}_`;
  return [`${p}p_compromise`, `${p}median_time`, `${p}restricted_mean_time`];
}

export function attackCellEstimates(compromised: readonly number[], times: readonly number[], horizons: readonly number[]): Estimate[] {
  const defined = compromised.filter((x) => !Number.isNaN(x));
  const k = defined.filter((x) => x === 1).length;
  const steps = kaplanMeier(times, horizons);
  const horizon = Math.max(...horizons.filter((h) => !Number.isNaN(h)));
  return [wilson(k, defined.length), kmMedian(steps), restrictedMean(steps, horizon)];
}

/** Attackers (name and stage count) whose columns are in a list of metric names. */
export function attackersInMetrics(metrics: readonly string[]): { name: string; stages: number }[] {
  const out: { name: string; stages: number }[] = [];
  for (const m of metrics) {
    const hit = /^attack_(.+)_compromised$/.exec(m);
    if (!hit) continue;
    const name = hit[1];
    const stages = metrics.filter((x) => new RegExp(`^attack_${name}_stage\\d+_time$`).test(x)).length;
    out.push({ name, stages });
  }
  return out;
}
