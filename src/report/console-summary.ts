/**
 * The few numbers a user reads first after a run, as an aligned table:
 * the insert failure rate first (the paper's metric, as in the figures and
 * the report), the failure rate over all requests, malicious shares, attack success, tasks vs optimal, kills.
 */
import { summarize } from '../metrics/summary.ts';
import { formatSummaryTable, type TableRow } from './table.ts';

const shown: [metric: string, label: string, unit: TableRow['unit']][] = [
  ['insert_failure_rate', 'insert failure rate (paper fig. 9)', '%'],
  ['failure_rate', 'failure rate, all requests', '%'],
  ['user_malicious_share', 'malicious share of inserted users', '%'],
  ['project_malicious_share', 'malicious share of inserted projects', '%'],
  ['task_malicious_share', 'malicious share of inserted tasks', '%'],
  ['task_attack_success', 'malicious tasks that got through', '%'],
  ['tasks_inserted', 'tasks inserted', ''],
  ['tasks_optimal', 'tasks in the optimal run', ''],
  ['kills_effective', 'effective kills', ''],
  ['kills_ignored', 'ignored kills (pod already Terminating)', ''],
  ['end_time', 'simulated duration incl. start-up', 's'],
];

/** The clients and arrivals workloads have no records: their own table. */
const shownTraffic: [metric: string, label: string, unit: TableRow['unit']][] = [
  ['requests', 'requests', ''],
  ['failure_rate', 'failure rate (all requests)', '%'],
  ['failed_refused', 'failed: connection refused', ''],
  ['failed_reset', 'failed: connection reset', ''],
  ['failed_client_timeout', 'failed: client timeout', ''],
  ['failed_timeout', 'failed: ingress or ClusterIP timeout (504)', ''],
  ['failed_killed', 'failed: killed in flight (502)', ''],
  ['failed_no_endpoints', 'failed: no endpoints (503)', ''],
  ['latency_p50', 'latency p50 of successes', 's'],
  ['latency_p99', 'latency p99 of successes', 's'],
  ['rotations', 'rotations (kills, swaps or rollouts)', ''],
  ['failures_per_rotation', 'failed requests per rotation', ''],
  ['swap_duration', 'swap (or rollout) duration', 's'],
  ['swaps_abandoned', 'swaps abandoned', ''],
  ['end_time', 'simulated duration incl. start-up', 's'],
];

export function consoleSummary(values: Readonly<Record<string, readonly number[]>>, traffic = false): string {
  const rows: TableRow[] = [];
  for (const [metric, label, unit] of traffic ? shownTraffic : shown) {
    const v = values[metric];
    if (v === undefined) continue;
    const s = summarize(v);
    rows.push({ label, mean: s.mean, ci_low: s.ci_low, ci_high: s.ci_high, unit });
  }
  return formatSummaryTable(rows);
}
