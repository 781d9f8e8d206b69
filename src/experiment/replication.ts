/**
 * One replication of a scenario: a fresh simulation with the replication's
 * random streams, the cluster booted at t = 0, the workload (the test
 * script, closed-loop clients or open-loop arrivals) started at t0, run
 * until the workload ends.
 */
import { addAttackers, attackActors, attackClusterIPServices } from '../attack/index.ts';
import { Cluster } from '../cluster/cluster.ts';
import type { Pod } from '../cluster/pod.ts';
import type { Request, Via } from '../cluster/request.ts';
import type { TryObserver } from '../cluster/router.ts';
import { RandomStreams } from '../engine/random.ts';
import { Simulation, SimulationLimitError } from '../engine/simulation.ts';
import { runMetrics } from '../metrics/run-metrics.ts';
import { RunLimitError } from './run-limit-error.ts';
import { runCounts } from './run-counts.ts';
import { metricNames } from '../schema/metric-names.ts';
import type { Scenario } from '../schema/schema.ts';
import { workloadServices } from '../schema/workload-services.ts';
import type { Call } from '../workload/application.ts';
import { TodoApplication } from '../workload/application.ts';
import { datasetTotals, type Dataset } from '../dataset/dataset.ts';
import { threadRecords, type WorkRecord } from '../workload/records.ts';
import { TestScript } from '../workload/test-script.ts';
import { Arrivals } from '../workload/arrivals.ts';
import { Clients } from '../workload/clients.ts';
import { trafficRoutes, type Traffic, type TrafficCall } from '../workload/traffic.ts';
import { WebApplication } from '../workload/web-app.ts';

export interface RunOptions {
  trace?: boolean;
  /** Called after every processed event (invariant checks in tests). */
  afterEvent?: (cluster: Cluster, sim: Simulation) => void;
  onTry?: TryObserver;
  /** Called with the cluster before it boots: subscribe to its signals here (tests, tools). */
  observe?: (cluster: Cluster) => void;
  /** Tests: the test script hears every response and ends every pace at an event of its own, as before it heard ahead (the same trajectory, more events). */
  responseEvents?: boolean;
}

export interface Trace {
  /** Test-script requests carry their record; traffic requests do not. */
  readonly requests: readonly Request<Call | TrafficCall>[];
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

export function runReplication(scenario: Scenario, dataset: Dataset, replication: number, options: RunOptions = {}): RunResult {
  const trace = options.trace ?? false;
  const sim = new Simulation(scenario.maxEvents);
  const streams = new RandomStreams(scenario.seed, replication);
  const kind = scenario.workload.kind;
  const cluster = new Cluster(sim, streams, scenario, kind === 'testScript' ? new TodoApplication(sim) : new WebApplication(), {
    trace,
    clusterIPServices: routedServices(scenario, 'clusterIP'),
    loadBalancerServices: routedServices(scenario, 'loadBalancer'),
  });
  const script = kind === 'testScript' ? new TestScript(sim, cluster, scenario, threadRecords(dataset, scenario.workload.threads), trace, options.responseEvents !== true) : null;
  const traffic: Traffic | null =
    kind === 'clients' ? new Clients(sim, cluster, scenario, streams, trace) : kind === 'arrivals' ? new Arrivals(sim, cluster, scenario, streams, trace) : null;
  const workload = (script ?? traffic)!;
  cluster.addActor(workload);
  const attackers = addAttackers(sim, cluster, scenario, streams);
  if (options.onTry) cluster.router.observer = options.onTry;
  options.observe?.(cluster);
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
  if (Number.isNaN(workload.endTime)) throw new Error('the simulation ended before the workload finished');
  cluster.finish();
  for (const a of attackers) a.finish();
  const counts = runCounts({
    cluster,
    script,
    traffic,
    // No thread, no record: a run of attackers only; no record either for the clients and arrivals workloads.
    totals: script === null ? noRecords : scenario.workload.threads > 0 ? datasetTotals(dataset) : datasetTotals([]),
    events: sim.processed,
    attacks: attackers.map((a) => a.counts),
  });
  const { services, attackers: actors, names } = columnsOf(scenario);
  const metrics = runMetrics(counts, services, actors, names);
  const result: RunResult = { metrics, fingerprint: sim.fingerprint.toString() };
  if (!trace) return result;
  // The test script makes a request (and begins a record) ahead of its send time: traces list them by that time.
  const requests = (script !== null ? script.trace! : traffic!.trace!).sort((a, b) => a.sent - b.sent);
  const records = (script?.recordTrace ?? []).sort((a, b) => a.start - b.start);
  return { ...result, trace: { requests, records, pods: cluster.history! } };
}

function runWithProbe(sim: Simulation, cluster: Cluster, probe: (c: Cluster, s: Simulation) => void, until = Infinity): void {
  while (sim.step(until)) probe(cluster, sim);
}

/** The metric columns of a scenario, made once (every replication of a cell shares them). */
const columns = new WeakMap<Scenario, { services: string[]; attackers: { name: string; stages: number }[]; names: string[] }>();
function columnsOf(s: Scenario): { services: string[]; attackers: { name: string; stages: number }[]; names: string[] } {
  let c = columns.get(s);
  if (c === undefined) {
    const services = Object.keys(s.services);
    const attackers = attackActors(s);
    c = { services, attackers, names: metricNames(services, attackers) };
    columns.set(s, c);
  }
  return c;
}

const noRecords = { user: 0, project: 0, task: 0, optimalTasks: 0 };

/** Services that some workload step (or request kind) reaches through `via`. */
function routedServices(s: Scenario, via: 'clusterIP' | 'loadBalancer'): Set<string> {
  if (s.workload.kind !== 'testScript') {
    const routed = new Set(trafficRoutes(s).filter((r) => r.via === via).map((r) => r.service));
    return via === 'clusterIP' ? new Set([...routed, ...attackClusterIPServices(s)]) : routed;
  }
  const v = s.workload.via;
  const steps: [string, Via][] = [
    [workloadServices.user, v.user.insert],
    [workloadServices.user, v.project.lookup],
    [workloadServices.project, v.project.insert],
    [workloadServices.project, v.task.lookup],
    [workloadServices.task, v.task.insert],
  ];
  const routed = new Set(steps.filter(([, x]) => x === via).map(([svc]) => svc));
  return via === 'clusterIP' ? new Set([...routed, ...attackClusterIPServices(s)]) : routed;
}
