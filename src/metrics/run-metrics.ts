/**
 * The metrics of one run (docs/model.md section 7), each defined once: a
 * pure function from the counts the run leaves behind, keyed by the names
 * of metricNames(). The simulator gathers the counts from the cluster, the
 * workload and the attackers (src/experiment/run-counts.ts); a real run's
 * request log yields the record and request counts, which go through the
 * same function (src/live/ingest.ts). A ratio with a zero denominator is NaN.
 */
import { attackRunMetrics, clientCauses, failureCauses, failureStatuses, metricNames, outcomes, recordTypes, type FailureCause, type Outcome, type RecordType } from '../schema/metric-names.ts';
import { attackRunValues } from './attack.ts';
import type { AttackCounts } from './attack-counts.ts';
import { percentilesOfUnsorted } from './summary.ts';

export type OutcomeCounts = Record<RecordType, Record<Outcome, number>>;

/** The client's requests: all, failed, inserts, and (where known) failures by cause. */
export interface RequestCounts {
  requests: number;
  failed: number;
  insertRequests: number;
  failedInserts: number;
  /** Absent where the source cannot tell (a request log: a status does not say why). */
  byCause?: Partial<Record<FailureCause, number>>;
}

/** What any run of the test script leaves: record outcomes and requests. */
export interface RecordCounts {
  outcomes: OutcomeCounts;
  requests: RequestCounts;
  /** Clean tasks of clean projects of clean users: what a run without failures inserts. */
  tasksOptimal: number;
}

/** Everything a simulated run leaves behind, per docs/model.md section 7. */
export interface RunCounts extends RecordCounts {
  podsCreated: number;
  killsEffective: number;
  killsIgnored: number;
  triesRefused: number;
  triesTimedOut: number;
  /** Per service, in the cluster's order. */
  emptyTime: readonly number[];
  vulnerableShare: readonly number[];
  t0: number;
  endTime: number;
  events: number;
  /** What the client saw, for every workload: failures by cause and by HTTP status. */
  clientByCause: Partial<Record<FailureCause, number>>;
  byStatus: Readonly<Record<number, number>>;
  /** Latencies of successful requests, any order. */
  latencies: readonly number[];
  rotations: number;
  swapsAbandoned: number;
  /** Sum and count of timed swaps (a rotation's create-to-delete time). */
  swapTime: number;
  timedSwaps: number;
  /** Each attacker's counts, in the scenario's order. */
  attacks: readonly AttackCounts[];
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);

export const zeroOutcomes = (): Record<Outcome, number> => Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<Outcome, number>;

/**
 * The fractions among the record and request metrics: each is a count over
 * a sum of counts of the same run (a binomial share, which calibration's
 * counting error uses: src/metrics/denominators.ts).
 */
interface Fraction {
  readonly of: string;
  readonly over: readonly string[];
}

const fraction = (name: string, of: string, ...over: string[]): [string, Fraction] => [name, { of, over }];

export const fractions: ReadonlyMap<string, Fraction> = new Map([
  ...recordTypes.flatMap((t) => [
    ...outcomes.map((o) => fraction(`${t}_${o}_frac`, `${t}_${o}`, `${t}_records`)),
    fraction(`${t}_malicious_share`, `${t}_inserted_malicious`, `${t}_inserted_malicious`, `${t}_inserted_clean`),
    fraction(`${t}_attack_success`, `${t}_inserted_malicious`, `${t}_inserted_malicious`, `${t}_rejected`),
  ]),
  fraction('failure_rate', 'failed_requests', 'requests'),
  fraction('insert_failure_rate', 'failed_insert_requests', 'insert_requests'),
]);

/** The record and request metrics, by name. */
// Metric names made once: a name built per run would be hashed anew per run.
const recordKeys = recordTypes.map((t) => ({ t, records: `${t}_records`, outcomes: outcomes.map((o) => [o, `${t}_${o}`] as const) }));
const causeKeys = failureCauses.map((c) => [c, `failed_${c}`] as const);
const clientCauseKeys = clientCauses.map((c) => [c, `failed_${c}`] as const);
const statusKeys = failureStatuses.map((code) => [code, `failed_status_${code}`] as const);

export function recordMetrics(c: RecordCounts): Record<string, number> {
  const m: Record<string, number> = {};
  for (const k of recordKeys) {
    const o = c.outcomes[k.t];
    let total = 0;
    for (const [x, name] of k.outcomes) {
      m[name] = o[x];
      total += o[x];
    }
    m[k.records] = total;
  }
  const r = c.requests;
  m.requests = r.requests;
  m.failed_requests = r.failed;
  m.insert_requests = r.insertRequests;
  m.failed_insert_requests = r.failedInserts;
  if (r.byCause !== undefined) for (const [cause, name] of causeKeys) m[name] = r.byCause[cause] ?? 0;
  for (const [name, f] of fractions) m[name] = ratio(m[f.of], f.over.reduce((a, k) => a + m[k], 0));
  // Not a fraction: malicious tasks count as inserted but never as optimal, so it can exceed 1.
  m.tasks_inserted = c.outcomes.task.inserted_clean + c.outcomes.task.inserted_malicious;
  m.tasks_optimal = c.tasksOptimal;
  m.tasks_inserted_ratio = ratio(m.tasks_inserted, c.tasksOptimal);
  return m;
}

/** Every metric of a run, in the order of `names` (metricNames of its services and attackers: the columns of runs.csv). */
export function runMetrics(c: RunCounts, services: readonly string[], attackers: readonly { name: string; stages: number }[], names = metricNames(services, attackers)): number[] {
  const m = recordMetrics(c);
  Object.assign(m, {
    pods_created: c.podsCreated,
    kills_effective: c.killsEffective,
    kills_ignored: c.killsIgnored,
    tries_refused: c.triesRefused,
    tries_timed_out: c.triesTimedOut,
    t0: c.t0,
    end_time: c.endTime,
    events: c.events,
    rotations: c.rotations,
    failures_per_rotation: ratio(c.requests.failed, c.rotations),
    swaps_abandoned: c.swapsAbandoned,
    swap_duration: ratio(c.swapTime, c.timedSwaps),
  });
  services.forEach((s, i) => {
    m[`empty_time_${s}`] = c.emptyTime[i];
    m[`vulnerable_share_${s}`] = c.vulnerableShare[i];
  });
  for (const [cause, name] of clientCauseKeys) m[name] = c.clientByCause[cause] ?? 0;
  for (const [code, name] of statusKeys) m[name] = c.byStatus[code] ?? 0;
  [m.latency_p50, m.latency_p95, m.latency_p99] = percentilesOfUnsorted(Float64Array.from(c.latencies), [0.5, 0.95, 0.99]);
  attackers.forEach((a, k) => {
    const values = attackRunValues(c.attacks[k]);
    attackRunMetrics(a.name, a.stages).forEach((name, j) => (m[name] = values[j]));
  });
  return names.map((name) => {
    const v = m[name];
    if (v === undefined) throw new Error(`metric ${name} has no definition`);
    return v;
  });
}
