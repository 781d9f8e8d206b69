/**
 * What a metric counts, for the sampling error of a live value (calibration):
 * a rate is a fraction of some count of the same run (its denominator, a sum
 * of other metrics), a failure count is a count of rare events (Poisson),
 * anything else has no counting model.
 */
import { outcomes, recordTypes } from '../schema/metric-names.ts';

export type Counting = { kind: 'rate'; of: readonly string[] } | { kind: 'count' } | { kind: 'none' };

const rates = new Map<string, readonly string[]>([
  ['failure_rate', ['requests']],
  ['insert_failure_rate', ['insert_requests']],
  ...recordTypes.flatMap((t) => [
    ...outcomes.map((o) => [`${t}_${o}_frac`, [`${t}_records`]] as const),
    [`${t}_malicious_share`, [`${t}_inserted_malicious`, `${t}_inserted_clean`]] as const,
    [`${t}_attack_success`, [`${t}_inserted_malicious`, `${t}_rejected`]] as const,
  ]),
]);

export function counting(metric: string): Counting {
  const of = rates.get(metric);
  if (of) return { kind: 'rate', of };
  if (metric === 'failed_requests' || metric === 'failed_insert_requests' || metric.startsWith('failed_')) return { kind: 'count' };
  return { kind: 'none' };
}
