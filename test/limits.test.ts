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
import { formatIssues, UserError, type Issue } from '../src/scenario/errors.ts';
import { loadScenario, parseScenario } from '../src/scenario/load.ts';
import { readTextFile } from '../src/scenario/text-file.ts';

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

test.run();
