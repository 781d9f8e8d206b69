/**
 * Which mechanism explains a measurement (`sim calibrate --explain`): the
 * fits of candidate mechanisms, alone and in pairs, ranked by AIC (the loss
 * is a chi-square, -2 log L up to a constant, so AIC = loss + 2k for k
 * fitted parameters), with Akaike weights; the candidates the data cannot
 * tell apart from the best (AIC within 2, Burnham and Anderson's rule); and
 * for each of them the measurement that would separate it from the best:
 * the point of the predicted curves (a metric at a period) where the two
 * predictions differ most in units of their standard errors. Pure: the fits
 * come in as numbers.
 */

export interface FittedValue {
  path: string;
  value: number;
  /** 95 % interval; `open` when the search saw no end of it. */
  low: number;
  high: number;
  lowOpen: boolean;
  highOpen: boolean;
}

/** A place of the predicted curve: a metric at a period (and replica count), with the live value if there is one. */
export interface CurvePoint {
  metric: string;
  period: string;
  replicas: number;
  live?: number;
}

export interface CandidateFit {
  /** The candidate's parameter paths, joined with ' + ' for a pair. */
  name: string;
  k: number;
  loss: number;
  dof: number;
  pValue: number;
  fitted: FittedValue[];
  /** The prediction at each curve point at the fitted values: mean and standard error of the simulated mean. */
  curve: { mean: number; se: number }[];
}

export interface RankedFit extends CandidateFit {
  aic: number;
  /** AIC minus the best AIC. */
  delta: number;
  /** Akaike weight: the relative likelihood of this candidate among those fitted. */
  weight: number;
}

export interface Separation {
  candidate: string;
  /** The curve point where it and the best differ most, and by how many standard errors. */
  point: CurvePoint;
  best: number;
  other: number;
  z: number;
}

export interface Explanation {
  ranked: RankedFit[];
  /** Names within AIC 2 of the best (the best first). */
  indistinguishable: string[];
  /** For each indistinguishable candidate but the best: where a measurement would tell it from the best. */
  separations: Separation[];
}

/** AIC difference below which two candidates are not told apart. */
export const indistinguishableDelta = 2;

export function explain(fits: readonly CandidateFit[], curve: readonly CurvePoint[]): Explanation {
  const scored = fits.map((f) => ({ ...f, aic: f.loss + 2 * f.k }));
  // Ties keep the candidates' order (alone before pairs): stable sort.
  const sorted = scored.map((f, i) => ({ f, i })).sort((a, b) => cmp(a.f.aic, b.f.aic) || a.i - b.i).map(({ f }) => f);
  const bestAic = sorted.length > 0 ? sorted[0].aic : NaN;
  const rel = sorted.map((f) => (Number.isFinite(f.aic) ? Math.exp(-(f.aic - bestAic) / 2) : 0));
  const total = rel.reduce((a, b) => a + b, 0);
  const ranked = sorted.map((f, i) => ({ ...f, delta: f.aic - bestAic, weight: total > 0 ? rel[i] / total : NaN }));
  const close = ranked.filter((f) => f.delta < indistinguishableDelta);
  const separations = close.slice(1).map((f) => separate(ranked[0], f, curve));
  return { ranked, indistinguishable: close.map((f) => f.name), separations };
}

/** The curve point where `other`'s prediction differs most from `best`'s, in standard errors (points without a live value first: a new measurement). */
function separate(best: CandidateFit, other: CandidateFit, curve: readonly CurvePoint[]): Separation {
  let at = -1;
  let z = -1;
  let fresh = false;
  curve.forEach((p, i) => {
    const a = best.curve[i];
    const b = other.curve[i];
    if (a === undefined || b === undefined || Number.isNaN(a.mean) || Number.isNaN(b.mean)) return;
    const se = Math.hypot(a.se, b.se);
    const d = Math.abs(a.mean - b.mean);
    const zi = se > 0 ? d / se : d > 0 ? Infinity : 0;
    const isFresh = p.live === undefined;
    // A point with no live value yet wins a tie in z: it is the measurement to make.
    if (zi > z || (zi === z && isFresh && !fresh)) [at, z, fresh] = [i, zi, isFresh];
  });
  const point = at >= 0 ? curve[at] : { metric: '', period: '', replicas: 0 };
  return { candidate: other.name, point, best: at >= 0 ? best.curve[at].mean : NaN, other: at >= 0 ? other.curve[at].mean : NaN, z: Math.max(0, z) };
}

const cmp = (a: number, b: number): number => (a === b ? 0 : Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a < b ? -1 : 1);

/** The candidates to fit: each alone, then every pair (in input order). */
export function candidateSets<T>(candidates: readonly T[]): T[][] {
  const sets: T[][] = candidates.map((c) => [c]);
  for (let i = 0; i < candidates.length; i++) for (let j = i + 1; j < candidates.length; j++) sets.push([candidates[i], candidates[j]]);
  return sets;
}
