/**
 * What a metric counts, for the sampling error of a live value (calibration):
 * a fraction is a share of some count of the same run (its denominator, a
 * sum of other metrics: the definitions of run-metrics.ts), a failure count
 * is a count of rare events (Poisson), anything else has no counting model.
 */
import { fractions } from './run-metrics.ts';

export type Counting = { kind: 'rate'; of: readonly string[] } | { kind: 'count' } | { kind: 'none' };

export function counting(metric: string): Counting {
  const f = fractions.get(metric);
  if (f) return { kind: 'rate', of: f.over };
  if (metric.startsWith('failed_')) return { kind: 'count' };
  return { kind: 'none' };
}
