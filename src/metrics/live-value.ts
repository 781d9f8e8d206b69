/**
 * A metric measured on a real cluster (a row of a live-results file): the
 * value of one metric of section 7 at one period and replica count.
 */
export interface LiveValue {
  /** A number as written by String(), `inf` (no rotation) or `all` (over every period of the source's experiment). */
  period: string;
  /** Undefined: applies to any replica count. */
  replicas?: number;
  metric: string;
  value: number;
  ci_low?: number;
  ci_high?: number;
  n?: number;
  /** For a rate or share: the count it is a fraction of (requests, inserts, tasks), summed over its n runs. */
  denominator?: number;
  source: string;
  /** 1-based line in the file, for messages (0 when made in memory). */
  line: number;
}
