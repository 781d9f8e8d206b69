/**
 * What a user waits for besides the simulation: a `sim` process starting
 * (compiled, and through tsx for comparison), a worker thread getting
 * ready, a worker's memory, and how 1 and 2 workers compare on the same
 * command (with a byte-identity check of their outputs).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
// @ts-expect-error: plain JavaScript without declarations
import { build } from '../src/cli/build.mjs';
import { loadScenario } from '../src/scenario/load.ts';
import { bareHeapOnce } from './engine.ts';
import { referenceHeap, summary as median, type Measured } from './stats.ts';

/** Wall seconds of `node args`, failing on a non-zero exit. */
function wall(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return s;
}

export interface Startup {
  node: Measured;
  help: Measured;
  run1: Measured;
  helpTsx: Measured;
  run1Tsx: Measured;
}

/** `node -e 0`, `sim --help` and a 1-replication `sim run --no-plots`, compiled and through tsx (SIM_FROM_SOURCE=1). */
export async function benchStartup(runs: number): Promise<Startup> {
  await build(); // a stale build would measure a rebuild
  const out = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const run1 = ['src/cli/sim.mjs', 'run', 'scenarios/paper.yaml', '--reps', '1', '--no-plots', '--quiet', '--out', out];
  const tsx = { ...process.env, SIM_FROM_SOURCE: '1' };
  const times = (f: () => number) => {
    f(); // warm-up: the file cache
    return median(Array.from({ length: runs }, () => (rmSync(out, { recursive: true, force: true }), f())));
  };
  const r: Startup = {
    node: times(() => wall(['-e', '0'])),
    help: times(() => wall(['src/cli/sim.mjs', '--help'])),
    run1: times(() => wall(run1)),
    helpTsx: times(() => wall(['src/cli/sim.mjs', '--help'], tsx)),
    run1Tsx: times(() => wall(run1, tsx)),
  };
  rmSync(out, { recursive: true, force: true });
  return r;
}

export interface SmallRun {
  /** Without --workers (the cores, started only when worth it), --workers 1, --workers 2. */
  byDefault: Measured;
  one: Measured;
  two: Measured;
}

/** The README's first command without figures (`sim run scenarios/paper.yaml`, 200 replications), the three ways in turn. */
export function benchSmallRun(runs: number): SmallRun {
  const out = mkdtempSync(join(tmpdir(), 'bench-small-'));
  const run = (extra: string[]) => {
    rmSync(out, { recursive: true, force: true });
    return wall(['src/cli/sim.mjs', 'run', 'scenarios/paper.yaml', '--no-plots', '--quiet', '--out', out, ...extra]);
  };
  const t: number[][] = [[], [], []];
  run([]); // warm-up: the file cache
  for (let i = 0; i < runs; i++) [[], ['--workers', '1'], ['--workers', '2']].forEach((extra, k) => t[k].push(run(extra)));
  rmSync(out, { recursive: true, force: true });
  return { byDefault: median(t[0]), one: median(t[1]), two: median(t[2]) };
}

export interface WorkerBench {
  /** Milliseconds from new Worker() until its module has loaded (compiled, and the tsx shim). */
  readyMs: Measured;
  readyMsTsx: Measured;
  /** The floor: a worker thread that loads an empty module. */
  readyMsEmpty: Measured;
  /** Resident memory a worker adds once it has run a 200-replication unit of the paper scenario, MB. */
  memoryMB: number;
}

/** A worker's start-up and memory, in this process. */
export async function benchWorkers(runs: number): Promise<WorkerBench> {
  const dir: string = await build();
  const compiled = pathToFileURL(join(dir, 'worker.mjs')).href;
  const shim = pathToFileURL('src/experiment/worker.mjs').href;
  const ready = async (entry: string) => {
    const t = performance.now();
    const w = new Worker(`import(${JSON.stringify(entry)}).then(() => require('node:worker_threads').parentPort.postMessage('ready'))`, { eval: true });
    await new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
    const ms = performance.now() - t;
    await w.terminate();
    return ms;
  };
  const times = async (entry: string) => {
    await ready(entry);
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) xs.push(await ready(entry));
    return median(xs);
  };
  const readyMsEmpty = await times('data:text/javascript,export {}');
  const readyMs = await times(compiled);
  const readyMsTsx = await times(shim);
  // Memory: the process's resident set before and after two workers each ran a unit.
  const scenario = loadScenario('scenarios/paper.yaml');
  const before = process.memoryUsage().rss;
  const workers = [0, 1].map(() => new Worker(new URL(compiled)));
  await Promise.all(
    workers.map(
      (w, i) =>
        new Promise((resolve, reject) => {
          w.once('message', resolve).once('error', reject);
          w.postMessage({ unit: { index: i, cell: 0, from: 200 * i, to: 200 * (i + 1) }, scenario });
        }),
    ),
  );
  const memoryMB = (process.memoryUsage().rss - before) / 2 / 2 ** 20;
  await Promise.all(workers.map((w) => w.terminate()));
  return { readyMs, readyMsTsx, readyMsEmpty, memoryMB };
}

export interface Scaling {
  one: Measured;
  two: Measured;
  /** The median of each round's t(1 worker) / t(2 workers): the two runs of a round see the machine at the same minute. */
  speedup: number;
  identical: boolean;
}

/** Wall time of the same `sim` command with --workers 1 and 2, alternating, and whether their outputs are byte-identical. */
export function benchScaling(args: string[], files: string[], runs: number): Scaling {
  const root = mkdtempSync(join(tmpdir(), 'bench-scaling-'));
  const walls: Record<number, number[]> = { 1: [], 2: [] };
  const digests = new Set<string>();
  for (let i = 0; i < runs; i++) {
    for (const w of [1, 2]) {
      const out = join(root, `w${w}`);
      rmSync(out, { recursive: true, force: true });
      walls[w].push(wall(['src/cli/sim.mjs', ...args, '--workers', String(w), '--no-plots', '--quiet', '--out', out]));
      const hash = createHash('sha256');
      for (const f of files) hash.update(readFileSync(join(out, f)));
      digests.add(hash.digest('hex'));
    }
  }
  rmSync(root, { recursive: true, force: true });
  const speedup = median(walls[1].map((t, i) => t / walls[2][i])).median;
  return { one: median(walls[1]), two: median(walls[2]), speedup, identical: digests.size === 1 };
}

/**
 * Replications per second the CLI adds per extra replication on one worker:
 * (N2 - N1) / (t(N2) - t(N1)); `share` is the median of each run's rate over
 * the in-process rate of N2 - N1 replications measured right after it
 * (`inProcess`, in this process, already warm), so the two sides of the
 * ratio see the machine at the same minute; `perSpeed` is each run's rate
 * over the bare-heap speed beside it.
 */
export function benchMarginal(n1: number, n2: number, runs: number, inProcess: (reps: number) => number): Measured & { perSpeed: number; share: number } {
  const out = mkdtempSync(join(tmpdir(), 'bench-marginal-'));
  const t = (n: number) => {
    rmSync(out, { recursive: true, force: true });
    return wall(['src/cli/sim.mjs', 'run', 'scenarios/paper.yaml', '--reps', String(n), '--workers', '1', '--no-plots', '--quiet', '--out', out]);
  };
  const rates: number[] = [];
  const perSpeed: number[] = [];
  const shares: number[] = [];
  for (let i = 0; i < runs; i++) {
    rates.push((n2 - n1) / (t(n2) - t(n1)));
    shares.push(rates[i] / inProcess(n2 - n1));
    perSpeed.push(rates[i] / (bareHeapOnce() / referenceHeap));
  }
  rmSync(out, { recursive: true, force: true });
  return { ...median(rates), perSpeed: median(perSpeed).median, share: median(shares).median };
}

/**
 * What the machine gives two threads: the speed-up of two threads of pure
 * arithmetic over one (2.0 on two idle cores). On a shared machine the
 * worker figures cannot do better, so this is their yardstick.
 */
export async function parallelCapacity(): Promise<number> {
  const code = "const { parentPort } = require('node:worker_threads'); let x = 0; for (let i = 0; i < 5e8; i++) x += i; parentPort.postMessage(x);";
  const run = async (n: number) => {
    const start = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => new Worker(code, { eval: true }).once('message', resolve).once('error', reject))));
    return (performance.now() - start) / 1000;
  };
  const one = await run(1);
  const two = await run(2);
  return (2 * one) / two;
}

/**
 * What two simulations get from this machine's two cores, whatever the
 * worker code: two `sim run --reps N --workers 1` processes run together
 * against one alone (2 x t(one) / t(two), alternating, median of `runs`).
 * Pure arithmetic (parallelCapacity) scales further than a replication,
 * which allocates and touches memory; this is the worker figures' own
 * ceiling.
 */
export async function simulationCapacity(reps: number, runs: number): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'bench-capacity-'));
  const once = (out: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const args = ['src/cli/sim.mjs', 'run', 'scenarios/paper.yaml', '--reps', String(reps), '--workers', '1', '--no-plots', '--quiet', '--out', join(root, out)];
      execFile(process.execPath, args, (err) => (err ? reject(err) : resolve()));
    });
  const timed = async (f: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    await f();
    return performance.now() - start;
  };
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const one = await timed(() => once('a'));
    const two = await timed(() => Promise.all([once('a'), once('b')]));
    ratios.push((2 * one) / two);
  }
  rmSync(root, { recursive: true, force: true });
  return median(ratios).median;
}

/**
 * Wall seconds of the paper sweep with figures (as a user runs it),
 * --workers 2, with the machine's speed beside each run; `atReference` is
 * the median of each run's time times the speed beside it.
 */
export function benchSweepWithFigures(reps: number, runs: number): Measured & { speed: Measured; atReference: number } {
  const out = mkdtempSync(join(tmpdir(), 'bench-figures-'));
  const xs: number[] = [];
  const speeds: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(out, { recursive: true, force: true });
    xs.push(wall(['src/cli/sim.mjs', 'sweep', 'scenarios/paper-sweep.yaml', '--reps', String(reps), '--workers', '2', '--quiet', '--out', out]));
    speeds.push(bareHeapOnce() / referenceHeap);
  }
  rmSync(out, { recursive: true, force: true });
  return { ...median(xs), speed: median(speeds), atReference: median(xs.map((x, i) => x * speeds[i])).median };
}
