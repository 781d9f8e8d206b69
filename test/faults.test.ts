/**
 * Faults done to the real `sim` process: two runs into one directory, a
 * run killed while holding the lock, an unwritable directory, a full disk
 * (a 64 KiB tmpfs, when this process may mount one), SIGTERM during a sweep
 * and during the figures. Nothing written before is lost, no temp file or
 * lock is left behind, and --resume completes to the same bytes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from './helpers/in-process.ts';

const root = mkdtempSync(join(tmpdir(), 'faults-test-'));
const mounts: string[] = [];
test.after(() => {
  for (const m of mounts) umount(m);
  rmSync(root, { recursive: true, force: true });
});

// 6 periods x 100 replications of a small dataset: 24 units, about a second of work.
const small = ['--set', 'workload.dataset.tasksPerProject=20', '--set', 'workload.dataset.maliciousTasks=2'];
const sweep = (reps: number) => ['sweep', 'scenarios/paper-sweep.yaml', '--reps', String(reps), ...small, '--no-plots', '--quiet'];
const sweepArgs = sweep(100);
const finalFiles = ['runs.csv', 'summary.csv', 'sweep.resolved.yaml'];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function sim(args: string[], during?: (child: ChildProcess) => Promise<void>): Promise<Exit> {
  const child = spawn(process.execPath, ['src/cli/sim.mjs', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  void during?.(child);
  return exited;
}

/** Resolves when `test()` holds or the process has ended. */
async function until(child: ChildProcess, check: () => boolean): Promise<void> {
  while (!check() && child.exitCode === null && child.signalCode === null) await new Promise((r) => setTimeout(r, 5));
}

const unitsIn = (dir: string) => (existsSync(join(dir, 'parts', 'units')) ? readdirSync(join(dir, 'parts', 'units')).filter((f) => f.endsWith('.csv')).length : 0);

function digests(dir: string, names = finalFiles): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, existsSync(join(dir, n)) ? createHash('sha256').update(readFileSync(join(dir, n))).digest('hex') : 'missing']));
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

const leftovers = (dir: string) => tree(dir).filter((f) => /\.tmp-|\.lock|\.sim-staging/.test(f));
const noStack = (stderr: string) => assert.not.match(stderr, /^\s+at /m, `a stack trace in: ${stderr}`);

function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    mounts.push(dir);
    return true;
  } catch {
    return false;
  }
}

function umount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    // Already unmounted.
  }
}

let reference = '';

test('the reference sweep, uninterrupted', async () => {
  reference = join(root, 'reference');
  const r = await sim([...sweepArgs, '--out', reference]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(leftovers(reference), []);
});

test('a second run into a directory in use exits 2 naming the holder; once the holder is killed, the next run takes its lock over', async () => {
  const out = join(root, 'locked');
  let second: Exit | undefined;
  // Long enough (6000 replications on one thread) to still run when the second one has started and ended.
  const first = await sim([...sweep(1000), '--workers', '1', '--out', out], async (child) => {
    await until(child, () => unitsIn(out) >= 1);
    second = await sim(['run', 'scenarios/paper.yaml', '--reps', '2', '--no-plots', '--out', out]);
    child.kill('SIGKILL');
  });
  assert.is(first.signal, 'SIGKILL', 'the first run was still running');
  assert.ok(second);
  assert.is(second.code, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`^sim: ${out}: in use by another sim run \\(pid \\d+ on [^,]+, started [^:]+:\\d\\d:[\\d.:]+Z: sim sweep scenarios/paper-sweep.yaml`));
  noStack(second.stderr);
  assert.ok(existsSync(join(out, '.lock')), 'SIGKILL leaves the lock');
  const third = await sim(['run', 'scenarios/paper.yaml', '--reps', '2', '--no-plots', '--quiet', '--out', out]);
  assert.is(third.code, 0, third.stderr);
  assert.match(third.stderr, /warning: .*took over the lock of a run that is gone \(pid \d+/);
  assert.ok(existsSync(join(out, 'runs.csv')));
  assert.equal(leftovers(out), [], 'the lock is released at the end');
});

test('the lock is released when a run fails on a limit; an --out below a file is a bad argument (exit 2) naming it', async () => {
  const out = join(root, 'limit');
  const r = await sim(['run', 'scenarios/paper.yaml', '--max-events', '1000', '--no-plots', '--out', out]);
  assert.is(r.code, 2, r.stderr);
  assert.equal(leftovers(out), []);
  const file = join(root, 'a-file');
  writeFileSync(file, 'not a directory');
  const bad = await sim(['run', 'scenarios/paper.yaml', '--reps', '2', '--no-plots', '--out', join(file, 'out')]);
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, new RegExp(`^sim: --out ${file}/out: expected a directory, but ${file} is a file\\n$`));
});

test('SIGTERM during a sweep: exit 143 after saving finished units, no temp file, no lock; --resume completes the same bytes', async () => {
  const out = join(root, 'sigterm');
  const r = await sim([...sweepArgs, '--workers', '2', '--out', out], async (child) => {
    await until(child, () => unitsIn(out) >= 2);
    child.kill('SIGTERM');
  });
  assert.is(r.code, 143, r.stderr);
  assert.match(r.stderr, /SIGTERM: stopping after the finished units are saved/);
  assert.match(r.stderr, /interrupted: \d+ of 24 units/);
  assert.equal(leftovers(out), []);
  const resumed = await sim([...sweepArgs, '--workers', '2', '--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(digests(out), digests(reference));
});

test('SIGTERM while the figures are drawn: exit 143, the new data go in as a whole without figures or report, and say how to draw them', async () => {
  const out = join(root, 'figures');
  const earlier = await sim(['run', 'scenarios/paper.yaml', '--reps', '2', '--out', out]);
  assert.is(earlier.code, 0, earlier.stderr);
  assert.ok(existsSync(join(out, 'report.html')) && existsSync(join(out, 'figures', 'fig1-outcomes.png')));
  const r = await sim(['run', 'scenarios/paper.yaml', '--reps', '3', '--out', out], async (child) => {
    await until(child, () => existsSync(join(out, '.sim-staging', 'figures')));
    child.kill('SIGTERM');
  });
  assert.is(r.code, 143, r.stderr);
  assert.match(r.stderr, new RegExp(`interrupted after the final files were written to ${out}/; figures and report.html not drawn \\(sim plot ${out} draws them\\)`));
  assert.equal(leftovers(out), []);
  assert.ok(readFileSync(join(out, 'scenario.resolved.yaml'), 'utf8').includes('reps: 3'), 'the new run is in place');
  assert.not.ok(existsSync(join(out, 'report.html')), 'no report of the earlier run beside the new data');
  assert.not.ok(existsSync(join(out, 'figures')), 'no figure of the earlier run beside the new data');
  const plot = await sim(['plot', out]);
  assert.is(plot.code, 0, plot.stderr);
  assert.ok(existsSync(join(out, 'report.html')));
});

test('a full disk while drawing: exit 4, the folder as it was, the finished units kept for --resume', async () => {
  const disk = join(root, 'draw-disk');
  if (!mountTmpfs(disk, 'size=1m')) {
    console.log('  (skipped: cannot mount a tmpfs here; run the tests as root to include the full-disk test)');
    return;
  }
  const out = join(disk, 'out');
  const earlier = await sim(['run', 'scenarios/paper.yaml', '--reps', '2', '--no-plots', '--quiet', '--out', out]);
  assert.is(earlier.code, 0, earlier.stderr);
  const names = ['runs.csv', 'summary.csv', 'scenario.resolved.yaml'];
  const before = digests(out, names);
  const r = await sim(['run', 'scenarios/paper.yaml', '--reps', '3', '--quiet', '--out', out]);
  assert.is(r.code, 4, r.stderr);
  assert.match(r.stderr, new RegExp(`no space left on device; ${out}/ was left as it was; the finished units are kept in ${out}/parts/`));
  assert.equal(digests(out, names), before, 'the earlier run is intact');
  assert.not.ok(existsSync(join(out, 'figures')) || existsSync(join(out, 'report.html')));
  assert.equal(leftovers(out), []);
  execFileSync('mount', ['-o', 'remount,size=16m', disk]);
  const resumed = await sim(['run', 'scenarios/paper.yaml', '--reps', '3', '--quiet', '--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.ok(existsSync(join(out, 'report.html')) && !existsSync(join(out, 'parts')));
});

test('a full disk: exit 4 naming the file and the reason, earlier results intact; with space again --resume completes', async () => {
  const disk = join(root, 'disk');
  if (!mountTmpfs(disk, 'size=64k')) {
    console.log('  (skipped: cannot mount a tmpfs here; run the tests as root to include the full-disk test)');
    return;
  }
  const out = join(disk, 'out');
  const earlier = await sim(['run', 'scenarios/paper.yaml', '--reps', '2', '--no-plots', '--quiet', '--out', out]);
  assert.is(earlier.code, 0, earlier.stderr);
  const before = digests(out, ['runs.csv', 'summary.csv', 'scenario.resolved.yaml']);
  const r = await sim([...sweepArgs, '--out', out]);
  assert.is(r.code, 4, r.stderr);
  assert.match(r.stderr, new RegExp(`^sim: cannot write ${out}/parts/units/[\\d-]+\\.csv: no space left on device\\n$`));
  assert.equal(digests(out, ['runs.csv', 'summary.csv', 'scenario.resolved.yaml']), before, 'the earlier run is intact');
  assert.equal(leftovers(out), []);
  const kept = unitsIn(out);
  assert.ok(kept >= 1, 'finished units are kept');
  execFileSync('mount', ['-o', 'remount,size=8m', disk]);
  const resumed = await sim([...sweepArgs, '--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(digests(out), digests(reference));
});

test('a unit file changed after it was written: merge and resume exit 2 naming its file and line, not an internal error', async () => {
  const shard = (i: number) => runMain([...sweep(50), '--shard', `${i}/2`, '--workers', '1', '--out', join(root, `shard${i}`)]);
  assert.is((await shard(0)).code, 0);
  assert.is((await shard(1)).code, 0);
  const unit = join(root, 'shard0', 'parts', 'units', '0-0.csv');
  const lines = readFileSync(unit, 'utf8').split('\n');
  writeFileSync(unit, [...lines.slice(0, 2), ...lines.slice(3)].join('\n'));
  const r = await runMain(['merge', join(root, 'shard0'), join(root, 'shard1'), '--no-plots', '--out', join(root, 'merged')]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^sim: ${unit}:3: expected cell 0, replication 1 with \\d+ fields; the unit file was changed after it was written`));
  assert.equal(leftovers(join(root, 'merged')), []);
});

test('a read-only file system: exit 4, "read-only file system"', async () => {
  const ro = join(root, 'ro');
  if (!mountTmpfs(ro, 'size=64k,ro')) {
    console.log('  (skipped: cannot mount a tmpfs here)');
    return;
  }
  const r = await sim(['run', 'scenarios/paper.yaml', '--reps', '2', '--no-plots', '--out', join(ro, 'out')]);
  assert.is(r.code, 4, r.stderr);
  assert.match(r.stderr, /^sim: cannot create directory .*\/out: read-only file system\n$/);
});

test.run();
