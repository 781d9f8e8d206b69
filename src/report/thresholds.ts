/**
 * The recommendation's limits (report/recommend.ts) and how it prints a
 * fraction: apart, so that the CLI's option descriptions name the defaults
 * without loading the report.
 */
export interface Thresholds {
  /** Upper bound of the 95 % interval of P(compromise within the horizon). */
  maxRisk: number;
  /** Mean failed-insert rate. */
  maxFailure: number;
}

export const defaultThresholds: Thresholds = { maxRisk: 0.05, maxFailure: 0.02 };

/** A fraction as a percent with two significant digits below 10 % ("0.52 %", "5.0 %", "12 %"). */
export function pct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const v = x * 100;
  return `${v === 0 || v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2)} %`;
}
