/**
 * The metrics of one finished run (docs/model.md section 7), from the state the
 * cluster and the workload leave behind. Values follow metricNames(). A
 * run of the clients or arrivals workload has no records: their columns
 * are 0 (NaN for ratios), and the request columns count its requests.
 */
import type { Cluster } from '../cluster/cluster.ts';
import type { ResponseStats } from '../workload/response-stats.ts';
import type { TestScript } from '../workload/test-script.ts';
import type { AttackCounts } from '../attack/counts.ts';
import type { Traffic } from '../workload/traffic.ts';
import { attackRunValues } from './attack.ts';
import { clientCauses, failureCauses, failureStatuses, outcomes, recordTypes, type Outcome, type RecordType } from '../schema/metric-names.ts';
import { percentile } from './summary.ts';

export interface RunInputs {
  readonly cluster: Cluster;
  readonly script: TestScript | null;
  readonly traffic: Traffic | null;
  /** Records per type in the dataset, and the optimal run's tasks. */
  readonly totals: Readonly<Record<RecordType, number>> & { readonly optimalTasks: number };
  readonly events: number;
  /** Each attacker's counts, in the scenario's order. */
  readonly attacks?: readonly AttackCounts[];
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);

const noOutcomes = (): Record<Outcome, number> => Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<Outcome, number>;

export function collectMetrics({ cluster, script, traffic, totals, events, attacks = [] }: RunInputs): number[] {
  const counts = script?.outcomes ?? { user: noOutcomes(), project: noOutcomes(), task: noOutcomes() };
  const stats: ResponseStats = (script ?? traffic)!.stats;
  const values: number[] = [];
  for (const t of recordTypes) {
    const c = counts[t];
    const total = outcomes.reduce((a, o) => a + c[o], 0);
    if (total !== totals[t]) throw new Error(`${total} ${t} outcomes for ${totals[t]} records: a record was lost or counted twice`);
    values.push(total, ...outcomes.map((o) => c[o]), ...outcomes.map((o) => ratio(c[o], total)));
    values.push(ratio(c.inserted_malicious, c.inserted_malicious + c.inserted_clean));
    values.push(ratio(c.inserted_malicious, c.inserted_malicious + c.rejected));
  }
  const r = script?.counts ?? { requests: stats.requests, failed: stats.failed, insertRequests: 0, failedInserts: 0, byCause: stats.byCause };
  values.push(r.requests, r.failed, ratio(r.failed, r.requests));
  values.push(r.insertRequests, r.failedInserts, ratio(r.failedInserts, r.insertRequests));
  values.push(...failureCauses.map((cause) => r.byCause[cause] ?? 0));
  const tasksInserted = counts.task.inserted_clean + counts.task.inserted_malicious;
  values.push(tasksInserted, totals.optimalTasks, ratio(tasksInserted, totals.optimalTasks));
  const ds = cluster.deployments;
  values.push(ds.reduce((a, d) => a + d.created, 0));
  values.push(sum(cluster.diversifiers.map((d) => d.effectiveKills)), sum(cluster.diversifiers.map((d) => d.ignoredKills)));
  values.push(cluster.router.triesRefused, cluster.router.triesTimedOut);
  values.push(...ds.map((_, i) => cluster.backendStats.emptyTime[i]));
  values.push(...ds.map((_, i) => cluster.backendStats.vulnerableShare(i)));
  values.push(cluster.t0, (script ?? traffic)!.endTime, events);
  values.push(...clientCauses.map((cause) => stats.byCause[cause] ?? 0));
  values.push(...failureStatuses.map((code) => stats.byStatus[code] ?? 0));
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  values.push(...[0.5, 0.95, 0.99].map((q) => percentile(sorted, q)));
  const rotations = sum(cluster.diversifiers.map((d) => d.rotations));
  values.push(rotations, ratio(r.failed, rotations));
  values.push(sum(cluster.diversifiers.map((d) => d.abandoned)));
  const timed = sum(cluster.diversifiers.map((d) => d.timedSwaps));
  values.push(ratio(sum(cluster.diversifiers.map((d) => d.swapTime)), timed));
  for (const a of attacks) values.push(...attackRunValues(a));
  return values;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
