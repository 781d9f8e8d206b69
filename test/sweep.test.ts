/**
 * Sweeps end to end: the files do not depend on the worker count, the
 * order units finish in, a kill and a resume, or a split into shards.
 * The CLI runs as a real process where signals matter.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executePlan } from '../src/cli/execute.ts';
import { planRun, planSweep } from '../src/experiment/plan.ts';
import { runUnits, worthWorkers } from '../src/experiment/pool.ts';
import { loadDataset, runCell } from '../src/experiment/run.ts';
import { UserError } from '../src/util/errors.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { writeRunOutputs } from './helpers/serial-output.ts';
import { SweepDir } from '../src/store/sweep-dir.ts';
import { mergeShards } from '../src/store/sweep-merge.ts';
import { writeTrace } from '../src/store/trace-output.ts';

const root = mkdtempSync(join(tmpdir(), 'sweep-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

// 6 periods x 100 replications of the paper with a fifth of its tasks: 24 units of 25, about half a second of work.
const scenario = 'scenarios/paper-sweep.yaml';
const sets = ['reps=100', 'workload.dataset.tasksPerProject=20', 'workload.dataset.maliciousTasks=2'];
const cliArgs = ['sweep', scenario, ...sets.flatMap((s) => ['--set', s]), '--quiet', '--no-plots'];
const plan = planSweep(scenario, { sets });
const finalFiles = ['runs.csv', 'summary.csv', 'sweep.resolved.yaml'];

/** sha256 of each named file, so a mismatch names the file without printing megabytes. */
function digests(dir: string, names = finalFiles): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, existsSync(join(dir, n)) ? createHash('sha256').update(readFileSync(join(dir, n))).digest('hex') : 'missing']));
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

/** Starts the real `sim`; `during` may signal it while it runs. */
function sim(args: string[], during?: (child: ReturnType<typeof spawn>) => Promise<void>): Promise<Exit> {
  const child = spawn(process.execPath, ['src/cli/sim.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout })));
  void during?.(child);
  return exited;
}

/** Resolves once `dir`/parts/units holds at least `n` finished unit files (or the process ended). */
async function unitsOnDisk(dir: string, n: number, child: ReturnType<typeof spawn>): Promise<number> {
  for (;;) {
    const units = join(dir, 'parts', 'units');
    const done = existsSync(units) ? readdirSync(units).filter((f) => f.endsWith('.csv')).length : 0;
    if (done >= n || child.exitCode !== null) return done;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `p` rejects with a UserError whose message matches `re`. */
async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as UserError).message, re);
    return;
  }
  assert.unreachable('expected a UserError');
}

let reference = '';

test('the reference: an uninterrupted sweep on one thread', async () => {
  reference = join(root, 'reference');
  const ex = await executePlan(plan, { out: reference, workers: 1, resume: false, quiet: true });
  assert.is(ex.ran, 24);
  assert.equal(readdirSync(reference).sort(), ['.sim-manifest.json', ...finalFiles], 'parts/ is removed once the final files are written');
  const runs = readFileSync(join(reference, 'runs.csv'), 'utf8').trimEnd().split('\n');
  assert.is(runs.length, 1 + 6 * 100);
  assert.ok(runs[1].startsWith('0,inf,3,0,'));
  assert.ok(runs[600].startsWith('5,1,3,99,'));
});

test('the files are byte-identical for 1, 2 and 3 workers', async () => {
  const two = join(root, 'two');
  await executePlan(plan, { out: two, workers: 2, resume: false, quiet: true });
  assert.equal(digests(two), digests(reference));
  const three = join(root, 'three');
  await executePlan(plan, { out: three, workers: 3, resume: false, quiet: true });
  assert.equal(digests(three), digests(reference));
});

test('deferred workers: a run that stays on this thread, and one handed over after its first unit, write the files of 1 worker', async () => {
  // A clock that says each unit took 1 s: 23 units left then take 23 s, more than 6 s.
  let tick = 0;
  const clock = () => tick++;
  for (const [payAbove, threads] of [[Infinity, 0], [0, 2], [30, 0], [undefined, 2]] as const) {
    const out = join(root, `deferred-${payAbove}`);
    const dir = await SweepDir.open(out, plan, { resume: false });
    const started: number[] = [];
    const outcome = await runUnits(dir.pending(), (c) => plan.cells[c].scenario, {
      workers: 2, deferWorkers: { clock, payAbove }, onThreads: (n) => started.push(n), onResult: (r) => dir.put(r),
    });
    assert.is(outcome, 'done');
    assert.equal(started, [threads], `worker threads started with a threshold of ${payAbove ?? 'the default'} s`);
    await dir.finish();
    assert.equal(digests(out), digests(reference));
  }
});

test('deferred workers start when the units left, at the first unit\'s pace, would take this thread longer than the threshold', () => {
  assert.ok(worthWorkers(0.25, 39), 'a 1000-replication paper run (40 units, a cold first unit of 0.25 s): workers');
  assert.not.ok(worthWorkers(0.25, 15), 'a 400-replication one: this thread');
  assert.not.ok(worthWorkers(0.25, 7), 'the README\'s 200 replications: this thread');
  assert.ok(worthWorkers(1.2, 7), 'a few long replications: workers');
  assert.not.ok(worthWorkers(100, 0), 'nothing left');
});

test('the files do not depend on the order in which units finish', async () => {
  const out = join(root, 'shuffled');
  const dir = await SweepDir.open(out, plan, { resume: false });
  const units = dir.pending().reverse();
  [units[0], units[5]] = [units[5], units[0]];
  const outcome = await runUnits(units, (c) => plan.cells[c].scenario, { workers: 1, onResult: (r) => dir.put(r) });
  assert.is(outcome, 'done');
  await dir.finish();
  assert.equal(digests(out), digests(reference));
});

test('a filing that stalls holds up no unit: on one worker the other units run and are filed meanwhile, and the pool returns after the stalled one', async () => {
  const units = plan.units.slice(0, 6);
  let release: () => void = () => undefined;
  const stalled = new Promise<void>((resolve) => {
    const guard = setTimeout(resolve, 10_000); // only so that a pool that waits fails below instead of hanging
    release = () => {
      clearTimeout(guard);
      resolve();
    };
  });
  const filed: number[] = [];
  let firstDone = false;
  const outcome = await runUnits(units, (c) => plan.cells[c].scenario, {
    workers: 1,
    onResult: async (r) => {
      if (r.unit.index === units[0].index) {
        await stalled;
        firstDone = true;
      }
      filed.push(r.unit.index);
      if (filed.length === units.length - 1) release(); // every other unit is filed: the disk wakes up
    },
  });
  assert.is(outcome, 'done');
  assert.ok(firstDone, 'runUnits returned before the stalled filing ended');
  assert.equal(filed, [...units.slice(1).map((u) => u.index), units[0].index], 'the units after the stalled one waited for it');
});

test('common random numbers: replication r draws the same workload in every cell', () => {
  const lines = readFileSync(join(reference, 'runs.csv'), 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const t0 = header.indexOf('t0');
  const rows = lines.slice(1).map((l) => l.split(','));
  // t0 waits for the first pods, which no period changes: equal across cells for each replication.
  for (let rep = 0; rep < 100; rep++) {
    const values = new Set(rows.filter((r) => r[3] === String(rep)).map((r) => r[t0]));
    assert.is(values.size, 1, `replication ${rep}`);
  }
});

test('a sweep killed at a random point resumes to byte-identical files, without redoing finished units', async () => {
  const out = join(root, 'killed');
  const target = 1 + Math.floor(Math.random() * 12); // kill after 1..12 of 24 units
  let seen = 0;
  const r = await sim([...cliArgs, '--workers', '1', '--out', out], async (child) => {
    seen = await unitsOnDisk(out, target, child);
    child.kill('SIGKILL');
  });
  assert.is(r.signal, 'SIGKILL', `the sweep ended before the kill after ${seen} units`);
  assert.not.ok(existsSync(join(out, 'runs.csv')), 'no final file of a killed sweep');
  const kept = readdirSync(join(out, 'parts', 'units')).filter((f) => f.endsWith('.csv')).length;
  assert.ok(kept >= target, `kept ${kept} units`);
  const again = await executePlan(plan, { out, workers: 1, resume: true, quiet: true });
  assert.is(again.dir.state, 'resumed');
  assert.is(again.ran, 24 - kept, 'finished units are not run again');
  assert.equal(digests(out), digests(reference));
  assert.not.ok(existsSync(join(out, 'parts')));
});

test('Ctrl-C stops with exit code 130 and prints the command that resumes; resuming completes the same files', async () => {
  const out = join(root, 'interrupted');
  const r = await sim([...cliArgs, '--workers', '2', '--out', out], async (child) => {
    await unitsOnDisk(out, 1, child);
    child.kill('SIGINT');
  });
  assert.is(r.code, 130, r.stderr);
  assert.match(r.stderr, /interrupted: \d+ of 24 units/);
  // Printed as it was invoked: this test runs `node src/cli/sim.mjs`.
  const command = /resume with: node src\/cli\/sim\.mjs (.*)/.exec(r.stderr)?.[1];
  assert.ok(command, r.stderr);
  assert.ok(command.endsWith(' --resume'));
  assert.ok(existsSync(join(out, 'parts', 'plan.json')));
  assert.not.ok(existsSync(join(out, 'runs.csv')));
  const resumed = await sim(command.split(' '));
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(digests(out), digests(reference));
  const done = await executePlan(plan, { out, workers: 2, resume: true, quiet: true });
  assert.is(done.dir.state, 'complete');
  assert.is(done.ran, 0);
});

test('--resume refuses the parts of another sweep', async () => {
  const out = join(root, 'other');
  const dir = await SweepDir.open(out, plan, { resume: false });
  await runUnits(dir.pending().slice(0, 1), (c) => plan.cells[c].scenario, { workers: 1, onResult: (r) => dir.put(r) });
  const other = planSweep(scenario, { sets: [...sets, 'reps=40'] });
  await rejects(SweepDir.open(out, other, { resume: true }), /another sweep/);
  await rejects(SweepDir.open(out, plan, { resume: true, shard: { index: 0, count: 2 } }), /not of shard 0\/2/);
});

test('shards 0/3, 1/3, 2/3 merged give the files of the unsharded sweep', async () => {
  const dirs = [0, 1, 2].map((i) => join(root, `shard-${i}`));
  for (const [i, out] of dirs.entries()) {
    const ex = await executePlan(plan, { out, workers: 1, resume: false, quiet: true, shard: { index: i, count: 3 } });
    assert.is(ex.ran, 8);
    assert.ok(existsSync(join(out, 'shard.json')));
  }
  const merged = join(root, 'merged');
  const r = await sim(['merge', dirs[2], dirs[0], dirs[1], '--out', merged, '--no-plots']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(digests(merged), digests(reference));
  await rejects(mergeShards([dirs[0], dirs[2]], join(root, 'incomplete')), /missing 8 of 24 units .*shard 1\/3 missing or unfinished/);
  const again = await executePlan(plan, { out: dirs[1], workers: 1, resume: true, quiet: true, shard: { index: 1, count: 3 } });
  assert.is(again.dir.state, 'complete');
});

test('sim run writes the same bytes as the serial run it replaced', async () => {
  const s = loadScenario('scenarios/paper.yaml', ['reps=30']);
  const old = join(root, 'run-old');
  const results = runCell(s, loadDataset(s), s.reps, { trace: true });
  await writeRunOutputs(old, s, results);
  await writeTrace(old, results[0].trace!, Object.keys(s.services));
  const now = join(root, 'run-new');
  const r = await sim(['run', 'scenarios/paper.yaml', '--reps', '30', '--trace', '--no-plots', '--quiet', '--workers', '2', '--out', now]);
  assert.is(r.code, 0, r.stderr);
  const files = ['runs.csv', 'summary.csv', 'scenario.resolved.yaml', 'requests.csv', 'records.csv', 'pods.csv'];
  assert.equal(digests(now, files), digests(old, files));
  assert.is(planRun(s).cells.length, 1);
});

test.run();
