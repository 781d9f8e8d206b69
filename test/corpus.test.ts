/**
 * A fixed corpus of nasty input files (test/corpus/): each goes through
 * the CLI and must give its exit code and the key part of its message,
 * quickly, in printable lines, never an internal error. Three of them also
 * go through the real executable. CORPUS_TABLE=1 prints what each gives.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashed, runBinary, runMain, type Outcome } from './helpers/in-process.ts';

const C = 'test/corpus';
const tmp = mkdtempSync(join(tmpdir(), 'corpus-test-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const finished = join(tmp, 'finished');

interface Case {
  file: string;
  /** The command line; default `sim run FILE`. */
  argv?: string[];
  code: number;
  expect: RegExp[];
  /** At least this many problems listed (one line each). */
  lines?: number;
}

const cases: Case[] = [
  { file: 'wrong-types.yaml', code: 2, lines: 20, expect: [/wrong-types\.yaml:4:7: reps: expected an integer from 1 to 1000000, found true/, /:7:13: cluster\.replicas: expected an integer from 1 to 10000, found "three"/, /:13:11: services: expected a mapping, found a list/, /:16:20: diversifier\.waitForDeletion: expected true or false, found "true"/] },
  { file: 'deep-nesting.yaml', code: 2, expect: [/deep-nesting\.yaml:3:\d+: nesting too deep: expected at most 64 levels/] },
  { file: 'huge-numbers.yaml', code: 2, lines: 10, expect: [/seed: expected an integer from 0 to 9007199254740991, found 18446744073709552000/, /reps: expected an integer from 1 to 1000000, found 1e\+300/, /maxEvents: expected an integer from 1 to 9007199254740991, found \.inf/, /diversifier\.period: expected a number from 0\.001 to 1000000 or inf, found 1e-9/, /workload\.dataset: expected at most 10000000 records/] },
  { file: 'nan.yaml', code: 2, lines: 6, expect: [/:3:7: reps: expected an integer from 1 to 1000000, found \.nan/, /cluster\.serviceTime\.max: expected a number from 0 to 1000000, found \.inf/, /diversifier\.jitter: .*found -\.inf/] },
  { file: 'unicode-keys.yaml', code: 2, lines: 6, expect: [/unknown key "реплики"/, /unknown key "\\u202eevil"/, /unknown key "zero\\u200bwidth"/, /cluster\.rеplicas: unknown key "rеplicas"; did you mean replicas\?/, /unknown key "ｒｅｐｌｉｃａｓ"; did you mean replicas\?/] },
  { file: 'typos.yaml', code: 2, lines: 7, expect: [/clustr: unknown key "clustr"; did you mean cluster\?/, /ingress\.tires: unknown key "tires"; did you mean tries\?/, /:10:1: replicas: unknown key "replicas"; did you mean cluster\.replicas\?/] },
  { file: 'absurd-values.yaml', code: 2, lines: 13, expect: [/cluster\.implementations: expected at least one implementation with weight > 0, found all weights 0/, /services\.users\.implementations: expected a non-empty list/, /cluster\.startup\.max: expected max >= min \(5\), found 2/, /ingress\.connectTimeout: expected a number > 0 and <= 1000000, found 0/] },
  { file: 'alias-bomb.yaml', code: 2, expect: [/alias-bomb\.yaml:1:1: too many alias expansions \(more than 1000\); the file looks like a YAML alias bomb/] },
  { file: 'self-alias.yaml', code: 2, expect: [/self-alias\.yaml:4:12: the alias \*c is inside its own anchor: an endless value/] },
  { file: 'binary.yaml', code: 2, expect: [/binary\.yaml:1:1: expected UTF-8 text, found binary data \(byte 0x89\)/] },
  { file: 'utf16.yaml', code: 2, expect: [/utf16\.yaml:1:1: expected UTF-8 text, found binary data \(byte 0xff\)/] },
  { file: 'long-line.yaml', code: 2, expect: [/name: expected a string matching .*, found "\\u001b\[31mx+\.\.\."/] },
  { file: 'not-a-mapping.yaml', code: 2, expect: [/:1:1: expected a mapping of settings at the top level, found a list/] },
  { file: 'syntax-errors.yaml', code: 2, lines: 3, expect: [/syntax-errors\.yaml:3:1: Tabs are not allowed as indentation/] },
  { file: 'duplicate-keys.yaml', code: 2, lines: 2, expect: [/:3:1: Map keys must be unique/, /:6:3: Map keys must be unique/] },
  { file: 'dataset-issues.yaml', code: 2, lines: 7, expect: [/dataset-issues\.csv:3: name: expected a unique user name, found "alice" again/, /dataset-issues\.csv:4: malicious: expected true or false, found "maybe"/, /dataset-issues\.csv:7: type: expected user, project or task, found "robot"/, /dataset-issues\.csv:9: expected a closing quote/] },
  { file: 'missing-dataset.yaml', code: 2, expect: [/:4:11: workload\.dataset\.file: expected an existing file, found ".*no-such-file\.csv"/] },
  { file: 'sweep-issues.yaml', argv: ['sweep'], code: 2, expect: [/:5:5: sweep\.vary\.perod: unknown setting "perod"; did you mean period\?/] },
  { file: 'live-issues.csv', argv: ['compare', finished, '--live'], code: 2, lines: 9, expect: [/live-issues\.csv:3:1: period: expected a positive number of seconds, inf or all, found "ten"/, /:4:3: metric: unknown metric "insert_failur_rate" \(did you mean insert_failure_rate\?\)/, /:7: expected 8 fields \(as the header\), found 9/] },
  { file: 'log-issues.csv', argv: ['ingest', '--period', '10', '--replicas', '3'], code: 2, lines: 6, expect: [/log-issues\.csv:3: timestamp: goes back in time on thread t1/, /:4: http_status: expected an HTTP status/] },
  { file: 'k8s-issues.yaml', argv: ['import'], code: 2, lines: 3, expect: [/Deployment users: spec\.replicas: expected a number >= 0, found "three"/, /readinessProbe\.periodSeconds: expected a number >= 1, found "often"/] },
  { file: 'empty.yaml', argv: ['run', '--reps', '1'], code: 0, expect: [] },
  { file: 'scenario.json', code: 0, expect: [] },
  { file: 'bom.yaml', code: 0, expect: [] },
  { file: 'crlf.yaml', code: 0, expect: [] },
];

/** The command line of a case: its command, the file, its flags, then bounded-work flags. */
function argvOf(c: Case): string[] {
  const path = join(C, c.file);
  const [command = 'run', ...flags] = c.argv ?? [];
  if (command === 'compare') return [command, flags[0], flags[1], path, '--no-plots', '--quiet'];
  if (command === 'ingest' || command === 'import') return [command, path, ...flags];
  return [command, path, ...flags, '--no-plots', '--quiet', '--workers', '1', '--out', join(tmp, c.file)];
}

function check(c: Case, o: Outcome): void {
  const where = `${c.file}: exit ${o.code}\n${o.stderr}`;
  assert.not.ok(crashed(o), where);
  assert.is(o.code, c.code, where);
  assert.ok(o.ms < 10_000, `${c.file} took ${o.ms} ms`);
  // eslint-disable-next-line no-control-regex
  assert.not.match(o.stderr, /[\u0000-\u0009\u000b-\u001f\u202e]/, `unprintable characters: ${where}`);
  for (const line of o.stderr.trimEnd().split('\n').filter((l) => l !== '')) assert.ok(line.length <= 410, `a line of ${line.length} characters`);
  for (const re of c.expect) assert.match(o.stderr, re, where);
  if (c.lines !== undefined) assert.ok(o.stderr.trimEnd().split('\n').length >= c.lines, `at least ${c.lines} problems: ${where}`);
  if (c.code === 0) assert.ok(existsSync(join(tmp, c.file, 'runs.csv')), `${c.file} wrote runs.csv`);
}

const table: string[] = [];

test('setup: a finished run for compare', async () => {
  const o = await runMain(['run', join(C, 'scenario.json'), '--no-plots', '--quiet', '--workers', '1', '--out', finished]);
  assert.is(o.code, 0, o.stderr);
});

for (const c of cases) {
  test(`corpus ${c.file}: exit ${c.code}`, async () => {
    const o = await runMain(argvOf(c));
    check(c, o);
    table.push(`| \`${c.file}\` | \`sim ${(c.argv ?? ['run'])[0]}\` | ${o.code} | ${(o.stderr.split('\n')[0] ?? '').replace(/\|/g, '\\|').slice(0, 160)} |`);
  });
}

test('a file over 1 MiB is refused before it is parsed', async () => {
  const big = join(tmp, 'big.yaml');
  writeFileSync(big, `name: big\ndescription: "${'x'.repeat(1 << 20)}"\n`);
  const o = await runMain(['run', big, '--no-plots']);
  assert.is(o.code, 2);
  assert.match(o.stderr, /big\.yaml: expected a file of at most 1048576 bytes, found 1048602 bytes/);
});

test('the real executable gives the same for binary garbage, an alias bomb and 10^4 levels of nesting', () => {
  for (const file of ['binary.yaml', 'alias-bomb.yaml', 'deep-nesting.yaml']) {
    const c = cases.find((x) => x.file === file) as Case;
    check(c, runBinary(argvOf(c), 20_000));
  }
  assert.ok(readFileSync(join(C, 'binary.yaml')).includes(0));
});

test.after(() => {
  if (process.env.CORPUS_TABLE) console.log(['| file | command | exit | first line of the message |', '| --- | --- | --- | --- |', ...table].join('\n'));
});

test.run();
