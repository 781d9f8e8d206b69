/**
 * Limits on what users may feed the tool: binary files, absurd nesting,
 * huge messages, absurd values and runs that would never end are refused
 * with a message that names the place, never with an exception or a hang.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssues, UserError, type Issue } from '../src/util/errors.ts';
import { loadScenario, parseScenario } from '../src/scenario/load.ts';
import { readTextFile } from '../src/util/text-file.ts';
import { Simulation } from '../src/engine/simulation.ts';
import { maxHorizon, runReplication } from '../src/experiment/replication.ts';
import { loadDataset } from '../src/experiment/run.ts';
import { DatasetCache, ReplicationError, runUnit } from '../src/experiment/unit-run.ts';
import { metricNames } from '../src/schema/metric-names.ts';
import { planSweep } from '../src/experiment/plan.ts';
import { runMain } from './helpers/in-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'limits-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function issuesOf(f: () => unknown): Issue[] {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.issues;
    throw e;
  }
  assert.unreachable('expected a UserError');
  return [];
}

test('a binary file is refused at the first byte that cannot be UTF-8 text', () => {
  const file = join(dir, 'binary.yaml');
  writeFileSync(file, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0x78, 0x0a, 0x72, 0xff, 0x00]));
  const [issue] = issuesOf(() => loadScenario(file));
  assert.equal([issue.line, issue.column], [2, 2]);
  assert.match(issue.message, /expected UTF-8 text, found binary data \(byte 0xff\)/);
  assert.match(issuesOf(() => parseScenario('name: a\0b', 'x.yaml'))[0].message, /binary data \(byte 0x00\)/);
});

test('a directory or a missing file is named, with the reason in words', () => {
  assert.match(issuesOf(() => readTextFile(dir, 'the scenario file', 100))[0].message, /found a directory/);
  assert.match(issuesOf(() => readTextFile(join(dir, 'nope'), 'the dataset file', 100))[0].message, /cannot read the dataset file \(no such file or directory\)/);
});

test('nesting deeper than 64 levels is refused, whether the YAML parser copes (100) or not (10^4)', () => {
  for (const n of [100, 10_000]) {
    const [issue] = issuesOf(() => parseScenario(`name: d\nlatency: ${'['.repeat(n)}${']'.repeat(n)}\n`, 'deep.yaml'));
    assert.equal(issue.line, 2);
    assert.match(issue.message, /nesting too deep: expected at most 64 levels/);
  }
  // The schema's own depth is fine.
  parseScenario('cluster:\n  implementations:\n    - {name: a, startup: {dist: empirical, samples: [1, 2]}}\n', 'ok.yaml');
});

test('an alias inside its own anchor, in a file or a --set value, is refused at the alias (found by fuzzing: it overflowed the stack)', () => {
  const [issue] = issuesOf(() => parseScenario('name: x\nlatency: &a [*a, *a]\n', 'self.yaml'));
  assert.equal([issue.line, issue.column], [2, 14]);
  assert.match(issue.message, /the alias \*a is inside its own anchor/);
  assert.match(issuesOf(() => parseScenario('cluster: &c\n  startup: *c\n', 'self.yaml'))[0].message, /alias \*c is inside its own anchor/);
  assert.match(issuesOf(() => parseScenario('', 'x.yaml', ['latency=&a [*a]']))[0].message, /^the value: the alias \*a/);
  // Deep only once expanded: each alias nests the previous anchor one level more.
  const chain = ['name: x', 'l0: &a0 [1]', ...Array.from({ length: 70 }, (_, i) => `l${i + 1}: &a${i + 1} [*a${i}]`)].join('\n');
  assert.match(issuesOf(() => parseScenario(chain, 'chain.yaml'))[0].message, /nesting too deep|alias bomb/);
  assert.match(issuesOf(() => readTextFile('', 'the scenario file', 10))[0].message, /expected the name of the scenario file, found an empty one/);
});

test('messages are one printable line each: control characters escaped, long values cut', () => {
  const [issue] = issuesOf(() => parseScenario(`name: "${'x'.repeat(5000)}\\u0007"\n`, 'long.yaml'));
  const text = formatIssues([issue]);
  assert.ok(text.length <= 400, `${text.length} characters`);
  assert.not.match(text, /[\u0000-\u001f]/);
  const many: Issue[] = Array.from({ length: 120 }, (_, i) => ({ file: 'f', line: i + 1, path: '', message: 'bad' }));
  const lines = formatIssues(many).split('\n');
  assert.is(lines.length, 51);
  assert.is(lines[50], '... and 70 more');
});

test('absurd values are refused with the field and the bound: tiny periods, huge times, datasets that cannot finish', () => {
  const messages = (text: string) => issuesOf(() => parseScenario(text, 'x.yaml')).map((i) => `${i.path}: ${i.message}`);
  assert.equal(messages('diversifier: {period: 1e-9}\ningress: {pollInterval: 0, connectTimeout: 0, syncRate: 1e-300}\n'), [
    'diversifier.period: expected a number from 0.001 to 1000000 or inf, found 1e-9',
    'ingress.pollInterval: expected a number from 0.001 to 1000000, found 0',
    'ingress.connectTimeout: expected a number > 0 and <= 1000000, found 0',
    'ingress.syncRate: expected a number from 0.000001 to 1000, found 1e-300',
  ]);
  const big = messages('cluster:\n  startup: {dist: lognormal, mean: 1e300, sd: 1}\n  grace: 1e7\nworkload: {pace: 2e6}\nlatency: {dist: normal, mean: -1e9, sd: 1}\n');
  assert.equal(big, [
    'cluster.startup.mean: expected a number from 1e-9 to 1000000, found 1e+300',
    'cluster.grace: expected a number from 0 to 1000000, found 10000000',
    'workload.pace: expected a number from 0 to 1000000, found 2000000',
    'latency.mean: expected a number from -1000000 to 1000000, found -1000000000',
  ]);
  assert.equal(messages('workload: {dataset: {users: 1000, projectsPerUser: 100, tasksPerProject: 1000}}\n'), [
    'workload.dataset: expected at most 10000000 records, found 100101000 (users x (1 + projectsPerUser x (1 + tasksPerProject)))',
  ]);
  // At the bounds, values are accepted.
  parseScenario('diversifier: {period: 0.001}\ncluster: {grace: 1e6, startup: {dist: lognormal, mean: 1e-9, sd: 1e6}}\n', 'ok.yaml');
});

test('at t = 10^7 s the clock still orders events 1 microsecond apart, in time order whatever the scheduling order', () => {
  const sim = new Simulation();
  const base = 1e7;
  const order = [5, 0, 9, 3, 7, 1, 8, 2, 6, 4];
  const seen: number[] = [];
  sim.at(base, 0, 0, () => {
    for (const k of order) sim.at(base + k * 1e-6, 1, k, (x: number) => seen.push(x), k);
  }, 0);
  const times: number[] = [];
  while (sim.step()) times.push(sim.now);
  assert.equal(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const gaps = times.slice(2).map((t, i) => t - times[i + 1]);
  for (const g of gaps) assert.ok(Math.abs(g - 1e-6) < 1e-8, `gap ${g}`);
  // The horizon bound is where the spacing of doubles reaches about a tenth of a microsecond.
  assert.ok(maxHorizon + 1e-6 - maxHorizon > 0.8e-6);
});

test('a workload that lasts 10^7 simulated seconds runs to the end with sane metrics', () => {
  const s = parseScenario('', 'long.yaml', ['workload.pace=10000', 'workload.threads=1', 'period=5000']);
  const r = runReplication(s, loadDataset(s), 0);
  const m = Object.fromEntries(metricNames(Object.keys(s.services)).map((n, i) => [n, r.metrics[i]]));
  assert.ok(m.end_time > 1e7 && m.end_time < 1.1e7, `end ${m.end_time}`);
  assert.is(m.task_records, 1000);
  const outcomes = ['inserted_malicious', 'inserted_clean', 'rejected', 'failed', 'orphaned'].reduce((a, o) => a + m[`task_${o}`], 0);
  assert.is(outcomes, 1000, 'every task has one outcome');
  assert.ok(m.kills_effective > 5000, `${m.kills_effective} kills: the diversifiers kept rotating for the whole run`);
  assert.is(m.failed_requests, 0, 'a request takes milliseconds, a kill comes every 5000 s: nothing fails');
});

test('a run past the horizon or past maxEvents fails as a limit naming the setting, the cell and the replication', () => {
  const unit = { index: 0, cell: 2, from: 3, to: 4 };
  const fail = (sets: string[]) => {
    try {
      runUnit(parseScenario('', 'x.yaml', sets), unit, new DatasetCache());
    } catch (e) {
      assert.instance(e, ReplicationError);
      return e as ReplicationError;
    }
    return assert.unreachable('expected a ReplicationError') as never;
  };
  const events = fail(['maxEvents=2000']);
  assert.equal([events.cell, events.rep, events.limit], [2, 3, 'maxEvents']);
  assert.match(events.reason, /^more than 2000 events at simulated time .* raise maxEvents \(--max-events\)$/);
  const horizon = fail(['workload.pace=1000000', 'workload.threads=1', 'period=inf']);
  assert.is(horizon.limit, 'workload.pace');
  assert.match(horizon.reason, /simulated time reached 1\.01400e\+9 s, more than 1000000000 s/);
});

test('maxEvents stops a calibration too, as a user error (exit 2) naming maxEvents', async () => {
  const argv = ['calibrate', 'scenarios/paper.yaml', '--live', 'scenarios/live/paper-aks.csv', '--fit', 'noise.errorRate=0..0.02', '--set', 'maxEvents=1000', '--budget', '3', '--reps', '2', '--quiet', '--out', join(dir, 'cal')];
  const o = await runMain(argv);
  assert.is(o.code, 2, o.stderr);
  assert.match(o.stderr, /sim: a replication: maxEvents: more than 1000 events/);
});

test('a sweep of more than 10^5 cells or 10^7 replications needs --force; more than 10^6 cells never runs', () => {
  const plan = (vary: string[], force = false) => () => planSweep('scenarios/paper.yaml', { vary, force });
  assert.match(issuesOf(plan(['period=1..1000', 'replicas=1..101']))[0].message, /the axes make 101000 cells, more than 100000; check the axes, or add --force/);
  assert.match(issuesOf(plan(['period=1..11', 'reps=1000000']))[0].message, /11 cells make 11000000 replications, more than 10000000/);
  // A reps axis counts each of its values once per combination of the other axes.
  assert.match(issuesOf(plan(['period=1..20', 'reps=1000000,1']))[0].message, /40 cells make 20000020 replications/);
  assert.is(planSweep('scenarios/paper.yaml', { vary: ['period=1..11', 'reps=1000000'], force: true }).cells.length, 11);
  assert.match(issuesOf(plan(['period=1..1001', 'replicas=1..1000'], true))[0].message, /the axes make 1001000 cells, more than 1000000$/);
});

test.run();
