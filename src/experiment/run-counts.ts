/**
 * The counts a finished replication leaves behind, gathered from the
 * cluster, the workload and the attackers for the metrics
 * (src/metrics/run-metrics.ts). A run of the clients or arrivals workload
 * has no records: their counts are 0, and its request counts are its
 * client's.
 */
import type { Cluster } from '../cluster/cluster.ts';
import type { AttackCounts } from '../metrics/attack-counts.ts';
import { zeroOutcomes, type RunCounts } from '../metrics/run-metrics.ts';
import { outcomes, recordTypes, type RecordType } from '../schema/metric-names.ts';
import type { TestScript } from '../workload/test-script.ts';
import type { Traffic } from '../workload/traffic.ts';
import { mapped } from '../util/arrays.ts';

export interface RunSources {
  readonly cluster: Cluster;
  readonly script: TestScript | null;
  readonly traffic: Traffic | null;
  /** Records per type in the dataset, and the optimal run's tasks. */
  readonly totals: Readonly<Record<RecordType, number>> & { readonly optimalTasks: number };
  readonly events: number;
  readonly attacks: readonly AttackCounts[];
}

export function runCounts({ cluster, script, traffic, totals, events, attacks }: RunSources): RunCounts {
  const counts = script?.outcomes ?? { user: zeroOutcomes(), project: zeroOutcomes(), task: zeroOutcomes() };
  for (const t of recordTypes) {
    const total = outcomes.reduce((a, o) => a + counts[t][o], 0);
    if (total !== totals[t]) throw new Error(`${total} ${t} outcomes for ${totals[t]} records: a record was lost or counted twice`);
  }
  const stats = (script ?? traffic)!.stats;
  const divs = cluster.diversifiers;
  const sum = (f: (d: (typeof divs)[number]) => number): number => divs.reduce((a, d) => a + f(d), 0);
  return {
    outcomes: counts,
    requests: script?.counts ?? { requests: stats.requests, failed: stats.failed, insertRequests: 0, failedInserts: 0, byCause: stats.byCause },
    tasksOptimal: totals.optimalTasks,
    podsCreated: cluster.deployments.reduce((a, d) => a + d.created, 0),
    killsEffective: sum((d) => d.effectiveKills),
    killsIgnored: sum((d) => d.ignoredKills),
    triesRefused: cluster.router.triesRefused,
    triesTimedOut: cluster.router.triesTimedOut,
    emptyTime: mapped(cluster.deployments, (_, i) => cluster.backendStats.emptyTime[i]),
    vulnerableShare: mapped(cluster.deployments, (_, i) => cluster.backendStats.vulnerableShare(i)),
    t0: cluster.t0,
    endTime: (script ?? traffic)!.endTime,
    events,
    clientByCause: stats.byCause,
    byStatus: stats.byStatus,
    latencies: stats.latencies,
    rotations: sum((d) => d.rotations),
    swapsAbandoned: sum((d) => d.abandoned),
    swapTime: sum((d) => d.swapTime),
    timedSwaps: sum((d) => d.timedSwaps),
    attacks,
  };
}
