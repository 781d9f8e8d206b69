/**
 * The real `sim` binary (node src/cli/sim.mjs): help, `run` outputs in the
 * formats of notes/formats.md, and user errors that exit 2 with a place and
 * a path, never a stack trace.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricNames } from '../src/schema/metric-names.ts';
import { loadScenario, parseScenario } from '../src/scenario/load.ts';
import { paperFile } from './helpers/sim.ts';

const tmp = mkdtempSync(join(tmpdir(), 'cli-test-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, ['src/cli/sim.mjs', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A CSV file without quoted fields: header and rows of cells. */
function csv(file: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
  return { header, rows };
}

const services = ['users', 'projects', 'tasks'];
const noStack = (stderr: string) => assert.not.match(stderr, /^\s+at /m, `a stack trace in: ${stderr}`);

test('--help exits 0 and lists the run command', () => {
  const r = sim('--help');
  assert.is(r.code, 0);
  assert.match(r.stdout, /\brun <scenario>/);
  assert.match(r.stdout, /Exit codes: 0 done, 1 .*, 2 bad input/);
});

test('run writes runs.csv (one row per rep, every metric), summary.csv and scenario.resolved.yaml; --trace writes the documented traces', () => {
  const out = join(tmp, 'paper');
  const r = sim('run', paperFile, '--reps', '3', '--no-plots', '--quiet', '--trace', '--out', out);
  assert.is(r.code, 0, r.stderr);
  const names = metricNames(services);

  const runs = csv(join(out, 'runs.csv'));
  assert.equal(runs.header, ['cell', 'period', 'replicas', 'rep', ...names, 'fingerprint']);
  assert.is(runs.rows.length, 3);
  assert.equal(runs.rows.map((row) => row[3]), ['0', '1', '2']);
  for (const row of runs.rows) {
    assert.is(row.length, runs.header.length);
    assert.equal(row.slice(0, 3), ['0', '10', '3']);
    assert.match(row[row.length - 1], /^[0-9a-f]{16}$/);
  }
  const rep0 = Object.fromEntries(runs.header.map((h, i) => [h, runs.rows[0][i]]));

  const summary = csv(join(out, 'summary.csv'));
  assert.equal(summary.header, ['cell', 'period', 'replicas', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high', 'p5', 'p50', 'p95', 'min', 'max']);
  assert.equal(summary.rows.map((row) => row[3]), names, 'one summary row per metric, in order');

  // The resolved scenario is the loaded one, every default filled in.
  const resolved = parseScenario(readFileSync(join(out, 'scenario.resolved.yaml'), 'utf8'), 'resolved.yaml');
  assert.equal(resolved, loadScenario(paperFile, ['reps=3']));

  // Traces of replication 0, with the columns of notes/formats.md, consistent with runs.csv.
  const requests = csv(join(out, 'requests.csv'));
  assert.equal(requests.header, ['time', 'end', 'thread', 'record', 'type', 'name', 'malicious', 'step', 'service', 'via', 'worker', 'pod', 'implementation', 'tries', 'status', 'cause']);
  assert.is(String(requests.rows.length), rep0.requests);
  assert.ok(requests.rows.every((row) => ['insert', 'lookup'].includes(row[7]) && services.includes(row[8])));
  const records = csv(join(out, 'records.csv'));
  assert.equal(records.header, ['thread', 'record', 'type', 'name', 'malicious', 'outcome', 'start', 'end']);
  assert.is(records.rows.length, 5 + 10 + 1000);
  assert.is(String(records.rows.filter((row) => row[2] === 'task' && row[5] === 'inserted_malicious').length), rep0.task_inserted_malicious);
  const pods = csv(join(out, 'pods.csv'));
  assert.equal(pods.header, ['service', 'pod', 'implementation', 'vulnerable', 'created', 'running', 'listening', 'ready', 'endpoints_in', 'endpoints_out', 'deleted', 'gone']);
  assert.is(String(pods.rows.length), rep0.pods_created);
  assert.is(String(pods.rows.filter((row) => row[10] !== '').length), rep0.kills_effective, 'one deletion per effective kill');
});

test('run of a file with a sweep: block warns that the block is ignored and points to sim sweep', () => {
  const out = join(tmp, 'sweep-file');
  const r = sim('run', 'scenarios/paper-sweep.yaml', '--reps', '1', '--no-plots', '--out', out, '--set', 'workload.dataset.tasksPerProject=5', '--set', 'workload.dataset.maliciousTasks=1');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: scenarios\/paper-sweep\.yaml has a sweep: block \(diversifier\.period\); sim run ignores it .*period 10, replicas 3.*sim sweep scenarios\/paper-sweep\.yaml/);
  assert.not.match(sim('run', paperFile, '--reps', '1', '--no-plots', '--out', join(tmp, 'no-sweep'), '--set', 'workload.dataset.tasksPerProject=5', '--set', 'workload.dataset.maliciousTasks=1').stderr, /warning/);
});

test('a bad scenario (wrong type, unknown key) exits 2 with file:line:col and the field path, no stack trace', () => {
  const file = join(tmp, 'bad.yaml');
  writeFileSync(file, 'name: bad\ncluster:\n  replicas: three\n  bogus: 1\n');
  const r = sim('run', file, '--no-plots', '--out', join(tmp, 'bad-out'));
  assert.is(r.code, 2);
  assert.ok(r.stderr.includes(`${file}:3:13: cluster.replicas:`), r.stderr);
  assert.ok(r.stderr.includes(`${file}:4:3: cluster.bogus:`), r.stderr);
  noStack(r.stderr);
  assert.not.ok(existsSync(join(tmp, 'bad-out')), 'no output for a bad scenario');
});

test('a missing scenario file exits 2 naming it', () => {
  const file = join(tmp, 'no-such.yaml');
  const r = sim('run', file, '--no-plots');
  assert.is(r.code, 2);
  assert.ok(r.stderr.includes(file), r.stderr);
  noStack(r.stderr);
});

test('--set diversifier.period=abc exits 2 naming the override', () => {
  const r = sim('run', paperFile, '--no-plots', '--set', 'diversifier.period=abc', '--out', join(tmp, 'abc'));
  assert.is(r.code, 2);
  assert.ok(r.stderr.includes('--set diversifier.period=abc'), r.stderr);
  assert.ok(r.stderr.includes('diversifier.period:'), r.stderr);
  noStack(r.stderr);
});

test('--max-events: a replication that passes it exits 2 naming the replication, the cell and maxEvents; no stack trace', () => {
  const r = sim('sweep', paperFile, '--vary', 'period=5,10', '--max-events', '3000', '--workers', '1', '--no-plots', '--quiet', '--out', join(tmp, 'max-events'));
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /^sim: replication 0 of cell 0 \(diversifier\.period=5\): maxEvents: more than 3000 events at simulated time [\d.]+ s: .*--max-events/);
  noStack(r.stderr);
  const bad = sim('run', paperFile, '--max-events', 'lots', '--no-plots', '--out', join(tmp, 'max-events'));
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /maxEvents: expected an integer from 1 to 9007199254740991, found "lots"/);
});

test('--debug adds the stack trace of a user error; without it there is none', () => {
  const file = join(tmp, 'debug.yaml');
  writeFileSync(file, 'cluster: {replicas: 0}\n');
  const plain = sim('run', file, '--no-plots');
  noStack(plain.stderr);
  const debug = sim('run', file, '--no-plots', '--debug');
  assert.is(debug.code, 2);
  assert.match(debug.stderr, /cluster\.replicas: expected an integer from 1 to 10000, found 0/);
  assert.match(debug.stderr, /^\s+at .*load\.ts/m);
});

test.run();
