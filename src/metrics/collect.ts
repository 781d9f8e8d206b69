/**
 * The metrics of one finished run (docs/model.md section 7), from the state the
 * cluster and the test script leave behind. Values follow metricNames().
 */
import type { Cluster } from '../cluster/cluster.ts';
import type { TestScript } from '../workload/test-script.ts';
import type { AttackCounts } from '../attack/counts.ts';
import { attackRunValues } from './attack.ts';
import { failureCauses, outcomes, recordTypes, type RecordType } from '../schema/metric-names.ts';

export interface RunInputs {
  readonly cluster: Cluster;
  readonly script: TestScript;
  /** Records per type in the dataset, and the optimal run's tasks. */
  readonly totals: Readonly<Record<RecordType, number>> & { readonly optimalTasks: number };
  readonly events: number;
  /** Each attacker's counts, in the scenario's order. */
  readonly attacks?: readonly AttackCounts[];
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);

export function collectMetrics({ cluster, script, totals, events, attacks = [] }: RunInputs): number[] {
  const counts = script.outcomes;
  const values: number[] = [];
  for (const t of recordTypes) {
    const c = counts[t];
    const total = outcomes.reduce((a, o) => a + c[o], 0);
    if (total !== totals[t]) throw new Error(`${total} ${t} outcomes for ${totals[t]} records: a record was lost or counted twice`);
    values.push(total, ...outcomes.map((o) => c[o]), ...outcomes.map((o) => ratio(c[o], total)));
    values.push(ratio(c.inserted_malicious, c.inserted_malicious + c.inserted_clean));
    values.push(ratio(c.inserted_malicious, c.inserted_malicious + c.rejected));
  }
  const r = script.counts;
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
  values.push(cluster.t0, script.endTime, events);
  for (const a of attacks) values.push(...attackRunValues(a));
  return values;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
