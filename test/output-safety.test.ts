/**
 * Output folders (README "Output folders"): sim writes only inside its
 * output folder, replaces or removes only what its manifest says it wrote,
 * refuses a bad name or --out before doing anything, and a folder holds
 * one run's files. Each case is a reproduction from issue 10.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeOutputs } from '../src/cli/outputs.ts';
import { modelSources } from '../src/experiment/model-version.ts';
import { planSweep } from '../src/experiment/plan.ts';
import { OutputError } from '../src/util/atomic.ts';
import { OutputFolder } from '../src/store/output-folder.ts';
import { SweepDir } from '../src/store/sweep-dir.ts';
import { crashed, runMain } from './helpers/in-process.ts';

const root = mkdtempSync(join(tmpdir(), 'output-safety-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const sim = resolve('src/cli/sim.mjs');
const quick = ['--no-plots', '--quiet', '--workers', '1'];

/** Every file under `dir` with its sha256: what "touch nothing" compares. */
function snapshot(dir: string): Record<string, string> {
  const names = (readdirSync(dir, { recursive: true }) as string[]).filter((n) => !statSync(join(dir, n)).isDirectory()).sort();
  return Object.fromEntries(names.map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));
}

/** The folder: a user's own parts/, figures/ and summary.csv, and a scenario beside them. */
function userFolder(name: string, scenario: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'parts'), { recursive: true });
  mkdirSync(join(dir, 'figures'));
  writeFileSync(join(dir, 'parts', 'bom.txt'), 'bill of materials\n');
  writeFileSync(join(dir, 'figures', 'fig1-logo.png'), 'logo\n');
  writeFileSync(join(dir, 'summary.csv'), 'mine,not sim\n');
  writeFileSync(join(dir, 's.yaml'), scenario);
  return dir;
}

/** The real executable run in `cwd`, with a time limit (a hang fails instead of stalling). */
function simIn(cwd: string, argv: string[], timeout = 30_000) {
  const r = spawnSync(process.execPath, [sim, ...argv], { cwd, encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout, ms: 0 };
}

test('a scenario named .. (or ., or --set name=..) exits 2 at name and touches nothing', () => {
  const dir = userFolder('dotdot', 'name: ..\nreps: 1\n');
  mkdirSync(join(dir, 'output'));
  const before = snapshot(dir);
  for (const argv of [['run', 's.yaml'], ['run', 's.yaml', '--set', 'name=.'], ['sweep', 's.yaml'], ['run', 's.yaml', '--set', 'name=ok', '--set', 'name=..']]) {
    const r = simIn(dir, argv);
    assert.is(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /name: expected a folder name other than \. and \.\./);
    assert.equal(snapshot(dir), before, argv.join(' '));
  }
  const long = simIn(dir, ['run', 's.yaml', '--set', `name=${'x'.repeat(300)}`]);
  assert.is(long.code, 2, long.stderr);
  assert.match(long.stderr, /name: expected a string matching \^\[A-Za-z0-9\._-\]\{1,100\}\$/);
  assert.equal(snapshot(dir), before);
});

test('--out at a folder of the user\'s: a file sim would replace stops the run (exit 2) before any work; other files stay', async () => {
  const dir = userFolder('foreign', 'name: ok\nreps: 1\n');
  const before = snapshot(dir);
  const r = await runMain(['run', join(dir, 's.yaml'), '--out', dir, ...quick]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`${dir}/parts: exists and was not written by sim`));
  assert.match(r.stderr, new RegExp(`${dir}/summary.csv: exists and was not written by sim`));
  assert.equal(snapshot(dir), before, 'nothing written, nothing removed');
  // Without the clashing names, sim writes beside the user's files and leaves them alone, twice.
  rmSync(join(dir, 'summary.csv'));
  rmSync(join(dir, 'parts'), { recursive: true });
  for (let i = 0; i < 2; i++) {
    const ok = await runMain(['run', join(dir, 's.yaml'), '--out', dir, ...quick]);
    assert.is(ok.code, 0, ok.stderr);
  }
  assert.is(readFileSync(join(dir, 'figures', 'fig1-logo.png'), 'utf8'), 'logo\n');
  assert.ok(existsSync(join(dir, 'runs.csv')) && existsSync(join(dir, '.sim-manifest.json')));
  assert.not.ok(existsSync(join(dir, 'parts')) || existsSync(join(dir, '.sim-staging')));
});

test('a hand-edited manifest cannot point outside the folder', async () => {
  const dir = join(root, 'evil-manifest');
  mkdirSync(dir);
  writeFileSync(join(dir, '.sim-manifest.json'), JSON.stringify({ format: 1, files: ['../victim.txt'], trees: [], dirs: [] }));
  const r = await runMain(['run', 'test/corpus/scenario.json', '--out', dir, ...quick]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /\.sim-manifest\.json: is not a manifest of this version of sim/);
});

test('bad --out values are bad arguments (exit 2 naming --out) or unwritable (exit 4), never a hang or a raw error', () => {
  const cases: [string, number, RegExp][] = [
    ['', 2, /^sim: --out '': expected a directory, found an empty path\n$/],
    ['README.md', 2, /^sim: --out README\.md: expected a directory, found a file\n$/],
    ['README.md/out', 2, /^sim: --out README\.md\/out: expected a directory, but .*README\.md is a file\n$/],
    [join(root, 'x'.repeat(300)), 2, /expected folder names of at most 255 bytes, found one of 300\n$/],
    ['/proc/sim', 4, /^sim: cannot create directory \/proc\/sim: \/proc does not allow new directories\n$/],
  ];
  for (const [out, code, message] of cases) {
    const r = simIn(process.cwd(), ['run', 'test/corpus/scenario.json', '--out', out, ...quick], 20_000);
    assert.not.ok(crashed(r), `${out}: ${r.stderr}`);
    assert.is(r.code, code, `--out ${out}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('a later run without --trace removes the trace files and the timeline of the earlier one', async () => {
  const out = join(root, 'retrace');
  const first = await runMain(['run', 'test/corpus/scenario.json', '--trace', '--out', out, '--quiet', '--workers', '1']);
  assert.is(first.code, 0, first.stderr);
  assert.ok(existsSync(join(out, 'pods.csv')) && existsSync(join(out, 'figures', 'fig7-timeline.png')));
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const second = await runMain(['run', 'test/corpus/scenario.json', '--out', out, '--quiet', '--workers', '1']);
  assert.is(second.code, 0, second.stderr);
  for (const f of ['pods.csv', 'requests.csv', 'records.csv', 'figures/fig7-timeline.png', 'figures/fig7-timeline.svg']) assert.not.ok(existsSync(join(out, f)), f);
  assert.ok(existsSync(join(out, 'figures', 'fig1-outcomes.png')) && existsSync(join(out, 'report.html')));
  assert.not.match(readFileSync(join(out, 'report.html'), 'utf8'), /fig7-timeline/);
  assert.is(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine');
  // --no-plots: the earlier figures and report go too (they would show the earlier run).
  const third = await runMain(['run', 'test/corpus/scenario.json', '--out', out, ...quick]);
  assert.is(third.code, 0, third.stderr);
  assert.not.ok(existsSync(join(out, 'report.html')) || existsSync(join(out, 'figures')));
});

test('sim plot on a folder of garbage exits 2 "not an output folder" and touches nothing', async () => {
  const dir = join(root, 'garbage');
  mkdirSync(join(dir, 'figures'), { recursive: true });
  writeFileSync(join(dir, 'summary.csv'), 'x,y\n1,2\n');
  writeFileSync(join(dir, 'figures', 'fig1-outcomes.png'), 'mine');
  const before = snapshot(dir);
  for (const argv of [['plot', dir], ['compare', dir, '--live', 'scenarios/live/paper-aks.csv']]) {
    const r = await runMain(argv);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /not an output folder of sim: summary\.csv has no cell, period, replicas, metric.* \(found "x,y"\)/);
    assert.equal(snapshot(dir), before);
  }
});

test('compare --fail-outside fails when nothing could be compared, and drops the figure of an earlier compare', async () => {
  const out = join(root, 'compared');
  assert.is((await runMain(['run', 'test/corpus/scenario.json', '--out', out, ...quick])).code, 0);
  const matching = join(root, 'matching.csv');
  writeFileSync(matching, 'period,replicas,metric,value,source\n10,2,insert_failure_rate,0.001,test\n');
  const first = await runMain(['compare', out, '--live', matching, '--quiet']);
  assert.is(first.code, 0, first.stderr);
  assert.ok(existsSync(join(out, 'figures', 'compare.png')));
  const nothing = join(root, 'nothing.csv');
  writeFileSync(nothing, 'period,replicas,metric,value,source\n77,9,insert_failure_rate,0.001,test\n');
  const r = await runMain(['compare', out, '--live', nothing, '--fail-outside', '--quiet']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /nothing could be compared \(no live row matches a simulated cell\); --fail-outside fails/);
  assert.not.ok(existsSync(join(out, 'figures', 'compare.png')), 'no figure of the earlier compare beside the new compare.csv');
  assert.is(readFileSync(join(out, 'compare.csv'), 'utf8').trimEnd().split('\n').length, 1);
  assert.ok(existsSync(join(out, 'runs.csv')), 'compare leaves the run alone');
});

test('a write failure while staging leaves the folder as it was and says so', async () => {
  const out = join(root, 'staged');
  assert.is((await runMain(['run', 'test/corpus/scenario.json', '--out', out, ...quick])).code, 0);
  const before = snapshot(out);
  const folder = await OutputFolder.open(out);
  try {
    await writeOutputs({
      folder,
      write: async (stage) => {
        writeFileSync(join(stage, 'runs.csv'), 'half');
        throw new OutputError(join(stage, 'summary.csv'), 'ENOSPC', 'cannot write summary.csv: no space left on device');
      },
      replaces: () => true,
      keep: 'data',
    });
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, OutputError);
    assert.match((e as Error).message, new RegExp(`no space left on device; ${out}/ was left as it was`));
  }
  assert.equal(snapshot(out), before);
});

test('the plan hash covers the dataset file\'s contents, not its path; --resume refuses a changed dataset', async () => {
  const a = join(root, 'data-a');
  mkdirSync(join(a, 'data'), { recursive: true });
  cpSync('scenarios/datasets/small.csv', join(a, 'data', 'd.csv'));
  writeFileSync(join(a, 's.yaml'), 'name: ds\nreps: 2\nworkload:\n  dataset:\n    file: data/d.csv\n');
  const plan = planSweep(join(a, 's.yaml'), { vary: ['period=10,5'] });
  const b = join(root, 'data-b', 'moved');
  cpSync(a, b, { recursive: true });
  assert.is(planSweep(join(b, 's.yaml'), { vary: ['period=10,5'] }).hash, plan.hash, 'the same files elsewhere: the same plan');
  const out = join(root, 'data-out');
  await SweepDir.open(out, plan, { resume: false });
  writeFileSync(join(a, 'data', 'd.csv'), `${readFileSync(join(a, 'data', 'd.csv'), 'utf8')}user,zed,,false\n`);
  const edited = planSweep(join(a, 's.yaml'), { vary: ['period=10,5'] });
  assert.is.not(edited.hash, plan.hash);
  try {
    await SweepDir.open(out, edited, { resume: true });
    assert.unreachable('should have refused');
  } catch (e) {
    assert.match((e as Error).message, /holds the parts of another sweep/);
  }
});

const small = ['--set', 'workload.dataset.tasksPerProject=20', '--set', 'workload.dataset.maliciousTasks=2'];
const bytes = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

test('the resolved file of every bundled scenario reruns to the same runs.csv and summary.csv', async () => {
  for (const name of readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort()) {
    const sweep = /sweep:/.test(readFileSync(join('scenarios', name), 'utf8'));
    const [command, resolved] = sweep ? ['sweep', 'sweep.resolved.yaml'] : ['run', 'scenario.resolved.yaml'];
    const first = join(root, `bundled-${name}`);
    const again = join(root, `bundled-${name}-again`);
    const a = await runMain([command, join('scenarios', name), '--reps', '1', ...small, '--out', first, ...quick]);
    assert.is(a.code, 0, `${name}: ${a.stderr}`);
    const b = await runMain([command, join(first, resolved), '--out', again, ...quick]);
    assert.is(b.code, 0, `${name} rerun: ${b.stderr}`);
    for (const f of ['runs.csv', 'summary.csv', resolved]) assert.is(bytes(again, f), bytes(first, f), `${name}: ${f}`);
  }
});

test('a scenario with a dataset file: its resolved file names the dataset from its own folder and reruns from anywhere', async () => {
  const dir = join(root, 'with-dataset');
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'scenarios'));
  cpSync('scenarios/datasets/small.csv', join(dir, 'data', 'd.csv'));
  writeFileSync(join(dir, 'scenarios', 's.yaml'), 'name: ds\nreps: 2\nworkload:\n  dataset:\n    file: ../data/d.csv\n');
  const first = join(dir, 'out', 'first');
  const a = await runMain(['run', join(dir, 'scenarios', 's.yaml'), '--out', first, ...quick]);
  assert.is(a.code, 0, a.stderr);
  assert.match(bytes(first, 'scenario.resolved.yaml'), /file: \.\.\/\.\.\/data\/d\.csv/);
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
  const b = simIn(elsewhere, ['run', join(first, 'scenario.resolved.yaml'), '--out', 'again', ...quick]);
  assert.is(b.code, 0, b.stderr);
  for (const f of ['runs.csv', 'summary.csv']) assert.is(bytes(join(elsewhere, 'again'), f), bytes(first, f), f);
  // A sweep over dataset files: the axis values are rewritten too, and the resolved sweep reruns.
  cpSync(join(dir, 'data', 'd.csv'), join(dir, 'data', 'e.csv'));
  const sweep = join(dir, 'out', 'sweep');
  const c = await runMain(['sweep', join(dir, 'scenarios', 's.yaml'), '--vary', 'workload.dataset.file=../data/d.csv,../data/e.csv', '--out', sweep, ...quick]);
  assert.is(c.code, 0, c.stderr);
  assert.match(bytes(sweep, 'sweep.resolved.yaml'), /workload\.dataset\.file: \[ \.\.\/\.\.\/data\/d\.csv, \.\.\/\.\.\/data\/e\.csv \]/);
  const d = simIn(elsewhere, ['sweep', join(sweep, 'sweep.resolved.yaml'), '--out', 'sweep-again', ...quick]);
  assert.is(d.code, 0, d.stderr);
  // The dataset column shows each value as its sweep wrote it: relative to scenarios/ first, to out/sweep/ in the resolved file.
  for (const f of ['runs.csv', 'summary.csv']) assert.is(bytes(join(elsewhere, 'sweep-again'), f), bytes(sweep, f).replaceAll('../data/', '../../data/'), f);
});

test('the model version covers every source folder but the layers that store, format, draw or run outside the simulation', () => {
  const sources = modelSources();
  const folders = readdirSync('src', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const f of folders.filter((f) => !['report', 'cli', 'store', 'live', 'k8s-import', 'testbed'].includes(f))) {
    const ts = (readdirSync(join('src', f), { recursive: true }) as string[]).filter((n) => n.endsWith('.ts'));
    for (const n of ts) assert.ok(sources.includes(`${f}/${n}`), `${f}/${n} is not in the model version`);
  }
  assert.ok(sources.includes('store/csv.ts'), 'the runs.csv number format is part of the model version');
  assert.not.ok(sources.some((s) => s.startsWith('cli/')));
});

test.run();
