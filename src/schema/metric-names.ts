/**
 * The metrics of one run (docs/model.md section 7), in the order of the columns
 * of runs.csv. Ratios are fractions in [0, 1]; a ratio whose denominator is
 * 0 in a run is NaN (written empty) and left out of that cell's statistics.
 */
export const recordTypes = ['user', 'project', 'task'] as const;
export type RecordType = (typeof recordTypes)[number];

export const outcomes = ['inserted_malicious', 'inserted_clean', 'rejected', 'failed', 'orphaned'] as const;
export type Outcome = (typeof outcomes)[number];

export const failureCauses = ['no_endpoints', 'refused', 'timeout', 'killed', 'noise'] as const;
/**
 * Causes only a client outside the ingress sees: a connection reset (its
 * pod died holding it, via a LoadBalancer) and its own timeout. Their
 * columns come after the paper's, so the paper's columns keep their places.
 */
export const clientCauses = ['reset', 'client_timeout'] as const;
export type FailureCause = (typeof failureCauses)[number] | (typeof clientCauses)[number];
/** HTTP statuses of failed requests answered by the ingress or a ClusterIP step, counted by code. */
export const failureStatuses = [500, 502, 503, 504] as const;

/** Per record type: outcome counts, their fractions of the type's dataset, and the two attack metrics. */
function recordMetrics(t: RecordType): string[] {
  return [
    `${t}_records`,
    ...outcomes.map((o) => `${t}_${o}`),
    ...outcomes.map((o) => `${t}_${o}_frac`),
    `${t}_malicious_share`,
    `${t}_attack_success`,
  ];
}

/** Every numeric metric of a run of a cluster with these services and attackers (README "Attack metrics"), in column order. */
export function metricNames(services: readonly string[], attackers: readonly { name: string; stages: number }[] = []): string[] {
  return [
    ...recordTypes.flatMap(recordMetrics),
    'requests',
    'failed_requests',
    'failure_rate',
    'insert_requests',
    'failed_insert_requests',
    'insert_failure_rate',
    ...failureCauses.map((c) => `failed_${c}`),
    'tasks_inserted',
    'tasks_optimal',
    'tasks_inserted_ratio',
    'pods_created',
    'kills_effective',
    'kills_ignored',
    'tries_refused',
    'tries_timed_out',
    ...services.map((s) => `empty_time_${s}`),
    ...services.map((s) => `vulnerable_share_${s}`),
    't0',
    'end_time',
    'events',
    ...clientCauses.map((c) => `failed_${c}`),
    ...failureStatuses.map((code) => `failed_status_${code}`),
    'latency_p50',
    'latency_p95',
    'latency_p99',
    'rotations',
    'failures_per_rotation',
    'swaps_abandoned',
    'swap_duration',
    ...attackers.flatMap((a) => attackRunMetrics(a.name, a.stages)),
  ];
}

/** Per-run columns of one attacker with `stages` stages, in runs.csv order. */
export function attackRunMetrics(name: string, stages: number): string[] {
  const p = `attack_${name}_`;
  return [
    `${p}compromised`, `${p}time`, `${p}horizon`, `${p}attempts`, `${p}requests`, `${p}footholds`,
    `${p}foothold_seconds`, `${p}foothold_seconds_per_hour`, `${p}max_footholds`, `${p}stage`,
    ...Array.from({ length: stages }, (_, k) => `${p}stage${k + 1}_time`),
  ];
}
