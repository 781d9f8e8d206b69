/**
 * `sim testbed`: every cell of a sweep plan run N times on the real system
 * (run.ts), each run's log ingested, checked and measured; then the
 * scenario the simulator should predict the same cells with (the measured
 * start-up and service times per implementation) and the live results the
 * predictions are compared with.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepPlan } from '../experiment/plan.ts';
import { scalarText } from '../experiment/plan.ts';
import { logMetrics, liveRowsFromRuns } from '../live/ingest.ts';
import type { LiveRow } from '../live/live.ts';
import { readRequestLog } from '../live/request-log.ts';
import { UserError, type Issue } from '../util/errors.ts';
import type { Distribution, Scenario } from '../schema/schema.ts';
import { loadDataset } from '../experiment/run.ts';
import { startMariaDb } from './mariadb.ts';
import { checkRun, emptyMeasured, measure, readAccessLog, writeTrace, type Measured } from './measure.ts';
import { installCleanup, killAll } from './procs.ts';
import { runTestbed, testbedImplementations } from './run.ts';
import { appsDir } from './supervisor.ts';

export interface CellRuns {
  cell: number;
  period: string;
  replicas: number;
  label: string;
  metrics: Record<string, number>[];
  violations: string[];
}

export interface TestbedResult {
  cells: CellRuns[];
  measured: Measured;
}

/** The scenario fields the testbed cannot honour, as errors naming them. */
export function checkTestbedScenario(s: Scenario, file: string): void {
  const issues: Issue[] = [];
  const check = (impls: Scenario['cluster']['implementations'], path: string) =>
    impls.forEach((impl, i) => {
      const known = (testbedImplementations as readonly string[]).includes(impl.name);
      if (!known) issues.push({ file, path: `${path}[${i}].name`, message: `the testbed has the implementations ${testbedImplementations.join(', ')}, not ${JSON.stringify(impl.name)}` });
      else if (impl.vulnerable !== (impl.name === 'python')) {
        issues.push({ file, path: `${path}[${i}].vulnerable`, message: `on the testbed only python accepts malicious records (vulnerable: ${impl.name === 'python'})` });
      }
    });
  check(s.cluster.implementations, 'cluster.implementations');
  for (const [name, o] of Object.entries(s.services)) if (o.implementations) check(o.implementations, `services.${name}.implementations`);
  for (const step of ['user', 'project', 'task'] as const) {
    for (const [k, v] of Object.entries(s.workload.via[step])) if (v !== 'ingress') issues.push({ file, path: `workload.via.${step}.${k}`, message: 'the testbed sends every request through the ingress' });
  }
  if (s.noise.errorRate !== 0) issues.push({ file, path: 'noise.errorRate', message: 'the testbed has no injected noise; expected 0' });
  if (s.ingress.policy !== 'round-robin') issues.push({ file, path: 'ingress.policy', message: 'the testbed\'s balancer is round-robin' });
  if (issues.length > 0) throw new UserError(issues);
}

export interface TestbedOptions {
  out: string;
  runs: number;
  say: (line: string) => void;
}

/** Runs every cell `runs` times; a private MariaDB serves them all and is removed at the end. */
export async function runCells(plan: SweepPlan, o: TestbedOptions): Promise<TestbedResult> {
  const dbDir = mkdtempSync(join(tmpdir(), 'sim-testbed-db-'));
  // Retried: a just-killed mariadbd may still be closing its files.
  const removeDb = () => {
    try {
      rmSync(dbDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    } catch (e) {
      process.stderr.write(`sim: could not remove ${dbDir}: ${(e as Error).message}\n`);
    }
  };
  const uninstall = installCleanup(removeDb);
  const measured = emptyMeasured();
  const cells: CellRuns[] = [];
  try {
    o.say(`starting MariaDB in ${dbDir}`);
    const db = await startMariaDb(dbDir, join(appsDir, 'schema.sql'));
    try {
      for (const cell of plan.cells) {
        const s = cell.scenario;
        const label = plan.axes.map((a, i) => `${a.path}=${scalarText(cell.values[i])}`).join(', ') || 'the scenario';
        const runs: CellRuns = { cell: cell.index, period: String(s.diversifier.period), replicas: s.cluster.replicas, label, metrics: [], violations: [] };
        const dataset = loadDataset(s);
        for (let r = 0; r < o.runs; r++) {
          const dir = join(o.out, 'testbed', `cell-${cell.index}`, `run-${r}`);
          mkdirSync(dir, { recursive: true });
          o.say(`cell ${cell.index} (${label}), run ${r + 1}/${o.runs}: starting nginx and ${Object.keys(s.services).length} x ${s.cluster.replicas} pods`);
          const run = await runTestbed(s, { dir, db, index: r, say: (l) => o.say(`  ${l}`) });
          const entries = readAccessLog(run.accessLog, run.epoch);
          writeTrace(dir, run, entries);
          const log = await readRequestLog(run.logFile);
          const m = logMetrics(log);
          runs.metrics.push(m);
          measure(run, entries, measured);
          const violations = checkRun(run, entries, log, dataset);
          runs.violations.push(...violations.map((v) => `run ${r}: ${v}`));
          const kills = run.kills.filter((k) => k.effective).length;
          o.say(`  done in ${(run.end - run.t0).toFixed(1)} s: ${m.requests} requests, ${m.failed_requests} failed, ` +
            `${kills} pods deleted (${run.kills.length - kills} ignored picks), ${run.pods.length} pods in all` +
            (violations.length > 0 ? `; ${violations.length} invariant violation(s)` : ''));
          for (const w of run.warnings.slice(0, 3)) o.say(`  warning: ${w}`);
        }
        cells.push(runs);
      }
    } finally {
      await db.stop();
    }
  } finally {
    killAll();
    uninstall();
    removeDb();
  }
  return { cells, measured };
}

/** At most this many samples per distribution (the scenario file stays small): quantiles of the measured ones. */
export const maxSamples = 500;

/** Measured samples as an empirical distribution (sorted; quantiles when many), or the fallback when nothing was measured. */
export function empirical(xs: readonly number[] | undefined, fallback?: Distribution): Distribution | undefined {
  if (!xs || xs.length === 0) return fallback;
  const sorted = [...xs].sort((a, b) => a - b);
  const picked = sorted.length <= maxSamples ? sorted : Array.from({ length: maxSamples }, (_, k) => sorted[Math.floor(((k + 0.5) * sorted.length) / maxSamples)]);
  return { dist: 'empirical', samples: picked.map((x) => Math.max(0, Math.round(x * 1e6) / 1e6)) };
}

/**
 * The scenario the simulator predicts the testbed with: the measured start-up
 * and service time of each implementation; containers run as soon as the
 * process is spawned (containerStart 0); a loopback hop of 0.1 ms.
 */
export function predictedScenario(base: Scenario, m: Measured): Scenario {
  const impls = (list: Scenario['cluster']['implementations']) =>
    list.map((i) => ({ ...i, startup: empirical(m.startup.get(i.name), i.startup), serviceTime: empirical(m.serviceTime.get(i.name), i.serviceTime) }));
  const services = Object.fromEntries(Object.entries(base.services).map(([k, o]) => [k, o.implementations ? { ...o, implementations: impls(o.implementations) } : o]));
  return {
    ...base,
    name: `${base.name}-predicted`,
    description: `${base.description ?? base.name}: the simulator's prediction of the testbed, with its measured start-up and service times`,
    cluster: { ...base.cluster, implementations: impls(base.cluster.implementations), containerStart: 0 },
    services,
    latency: 0.0001,
    sweep: undefined,
  };
}

/** The metrics compared (the issue's: failure rate and malicious share, and their companions). */
export const comparedMetrics = ['failure_rate', 'insert_failure_rate', 'task_malicious_share', 'task_attack_success', 'tasks_inserted'];

export function liveRowsOf(r: TestbedResult, all = false): LiveRow[] {
  return r.cells.flatMap((c) =>
    liveRowsFromRuns(c.metrics, { period: c.period, replicas: c.replicas, source: `testbed, ${c.metrics.length} run(s)` })
      .filter((row) => all || comparedMetrics.includes(row.metric)));
}
