/**
 * One replication of a scenario: a fresh simulation with the replication's
 * random streams, the cluster booted at t = 0, the test script started at
 * t0, run until the last response.
 */
import { addAttackers, attackClusterIPServices } from '../attack/index.ts';
import { Cluster } from '../cluster/cluster.ts';
import type { Pod } from '../cluster/pod.ts';
import type { Request, Via } from '../cluster/request.ts';
import type { TryObserver } from '../cluster/router.ts';
import { RandomStreams } from '../engine/random.ts';
import { Simulation, SimulationLimitError } from '../engine/simulation.ts';
import { collectMetrics } from '../metrics/collect.ts';
import type { Scenario } from '../schema/schema.ts';
import { workloadServices } from '../schema/workload-services.ts';
import type { Call } from '../workload/application.ts';
import { TodoApplication } from '../workload/application.ts';
import { datasetTotals, type Dataset } from '../workload/dataset.ts';
import { threadRecords, type WorkRecord } from '../workload/records.ts';
import { TestScript } from '../workload/test-script.ts';

export interface RunOptions {
  trace?: boolean;
  /** Called after every processed event (invariant checks in tests). */
  afterEvent?: (cluster: Cluster, sim: Simulation) => void;
  onTry?: TryObserver;
}

export interface Trace {
  readonly requests: readonly Request<Call>[];
  readonly records: readonly WorkRecord[];
  readonly pods: readonly Pod[];
}

export interface RunResult {
  readonly metrics: number[];
  readonly fingerprint: string;
  readonly trace?: Trace;
}

/**
 * Past this simulated time (about 31 years) a double no longer tells apart
 * events 1 microsecond apart (its spacing there is 1.2e-7 s): the run is
 * refused rather than silently coarsened.
 */
export const maxHorizon = 1e9;

/**
 * A replication stopped by a limit (maxEvents, the horizon): the scenario's
 * to fix, not a bug. `path` is the setting that sets the limit.
 */
export class RunLimitError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'RunLimitError';
  }
}

export function runReplication(scenario: Scenario, dataset: Dataset, replication: number, options: RunOptions = {}): RunResult {
  const trace = options.trace ?? false;
  const sim = new Simulation(scenario.maxEvents);
  const streams = new RandomStreams(scenario.seed, replication);
  const cluster = new Cluster(sim, streams, scenario, new TodoApplication(sim), {
    trace,
    clusterIPServices: clusterIPServices(scenario),
  });
  const script = new TestScript(sim, cluster, scenario, threadRecords(dataset, scenario.workload.threads), trace);
  cluster.addActor(script);
  const attackers = addAttackers(sim, cluster, scenario, streams);
  if (options.onTry) cluster.router.observer = options.onTry;
  cluster.boot();
  try {
    if (options.afterEvent) runWithProbe(sim, cluster, options.afterEvent);
    else sim.run();
    // The run lasts until the workload ends or the horizon, whichever is later.
    const end = cluster.t0 + scenario.horizon;
    if (scenario.horizon > 0 && sim.now < end) {
      if (options.afterEvent) runWithProbe(sim, cluster, options.afterEvent, end);
      else sim.run(end);
    }
  } catch (e) {
    if (!(e instanceof SimulationLimitError)) throw e;
    throw new RunLimitError('maxEvents', `more than ${scenario.maxEvents} events at simulated time ${sim.now.toPrecision(6)} s: the scenario may never end (a period or interval far below the run's length?); if it is right, raise maxEvents (--max-events)`);
  }
  if (sim.now > maxHorizon) {
    throw new RunLimitError('workload.pace', `the simulated time reached ${sim.now.toPrecision(6)} s, more than ${maxHorizon} s, where the clock loses microsecond resolution; shorten the run (fewer records, a shorter pace or shorter times)`);
  }
  if (Number.isNaN(script.endTime)) throw new Error('the simulation ended before the workload finished');
  cluster.finish();
  for (const a of attackers) a.finish();
  const metrics = collectMetrics({
    cluster,
    script,
    // No thread, no record: a run of attackers only.
    totals: scenario.workload.threads > 0 ? datasetTotals(dataset) : datasetTotals([]),
    events: sim.processed,
    attacks: attackers.map((a) => a.counts),
  });
  const result: RunResult = { metrics, fingerprint: sim.fingerprint.toString() };
  if (!trace) return result;
  return { ...result, trace: { requests: script.trace!, records: script.recordTrace!, pods: cluster.history! } };
}

function runWithProbe(sim: Simulation, cluster: Cluster, probe: (c: Cluster, s: Simulation) => void, until = Infinity): void {
  while (sim.step(until)) probe(cluster, sim);
}

/** Services that some workload step reaches through a ClusterIP. */
function clusterIPServices(s: Scenario): Set<string> {
  const v = s.workload.via;
  const steps: [string, Via][] = [
    [workloadServices.user, v.user.insert],
    [workloadServices.user, v.project.lookup],
    [workloadServices.project, v.project.insert],
    [workloadServices.project, v.task.lookup],
    [workloadServices.task, v.task.insert],
  ];
  return new Set([...steps.filter(([, via]) => via === 'clusterIP').map(([svc]) => svc), ...attackClusterIPServices(s)]);
}
