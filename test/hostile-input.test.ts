/**
 * Hostile input (issue 10, items 3, 7-9, 12, 14-16; issue 16, item 10):
 * every command line here once gave an internal error, a hang, a process
 * that grew until it was killed, or a misleading message. Each must now
 * give its exit code and name the place, quickly, in printable lines.
 * HOSTILE_TABLE=1 prints what each gives.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invokedAs } from '../src/cli/invocation.ts';
import { recordLines } from '../src/util/csv-lines.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { crashed, runBinary, runMain, type Outcome } from './helpers/in-process.ts';

const C = 'test/corpus';
const tiny = join(C, 'scenario.json');
const tmp = mkdtempSync(join(tmpdir(), 'hostile-test-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => join(tmp, name);
const write = (name: string, text: string) => (writeFileSync(at(name), text), at(name));
const fast = ['--no-plots', '--quiet', '--workers', '1'];
const table: string[] = [];

function expect(name: string, o: Outcome, code: number, ...patterns: RegExp[]): void {
  const where = `${name}: exit ${o.code}\n${o.stderr}`;
  assert.not.ok(crashed(o), where);
  assert.is(o.code, code, where);
  // eslint-disable-next-line no-control-regex
  assert.not.match(o.stderr, /[\u0000-\u0009\u000b-\u001f]/, `unprintable characters: ${where}`);
  for (const re of patterns) assert.match(o.stderr, re, where);
  table.push(`| \`sim ${name}\` | ${o.code} | ${Math.round(o.ms)} | ${(o.stderr.split('\n')[0] ?? '').replace(/\|/g, '\\|').slice(0, 170)} |`);
}

async function sim(name: string, argv: string[], code: number, ...patterns: RegExp[]): Promise<Outcome> {
  const o = await runMain(argv);
  expect(name, o, code, ...patterns);
  return o;
}

// Item 3: limits hold for devices and pipes, not only for files stat() can size.
test('sim run /dev/zero and sim ingest /dev/zero stop at the size limit at once (exit 2)', () => {
  expect('run /dev/zero', runBinary(['run', '/dev/zero', ...fast, '--out', at('zero')], 20_000), 2, /\/dev\/zero: expected a file of at most 1048576 bytes, found more than 1048576 bytes/);
  expect('ingest /dev/zero', runBinary(['ingest', '/dev/zero', '--period', '10', '--replicas', '3'], 30_000), 2, /\/dev\/zero: expected a file of at most 268435456 bytes, found more than/);
  assert.not.ok(existsSync(at('zero')));
});

test('a scenario through a pipe is held to the same limit', () => {
  const started = performance.now();
  const r = spawnSync('sh', ['-c', `head -c 3000000 /dev/zero | tr '\\0' a | "${process.execPath}" src/cli/sim.mjs run /dev/stdin ${fast.join(' ')} --out "${at('pipe')}"`], {
    encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL',
  });
  expect('run /dev/stdin (a 3 MB pipe)', { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started }, 2, /\/dev\/stdin: expected a file of at most 1048576 bytes, found more than 1048576 bytes/);
});

// Items 7, 12, 14: YAML oddities.
test('sim import: an undefined alias, an anchor used in a later document and an alias bomb are exit 2 at their line', async () => {
  await sim('import k8s-undefined-alias.yaml', ['import', join(C, 'k8s-undefined-alias.yaml'), '--out', at('a.yaml')], 2, /k8s-undefined-alias\.yaml:26: the alias \*nope names no anchor/);
  await sim('import k8s-anchor-later-doc.yaml', ['import', join(C, 'k8s-anchor-later-doc.yaml'), '--out', at('b.yaml')], 2, /k8s-anchor-later-doc\.yaml:16: the alias \*spec names no anchor: an anchor &spec must come before it, in the same document/);
  await sim('import k8s-alias-bomb.yaml', ['import', join(C, 'k8s-alias-bomb.yaml'), '--out', at('c.yaml')], 2, /k8s-alias-bomb\.yaml:3: too many alias expansions \(more than 1000\)/);
});

test('sim import honours YAML merge keys, as kubectl does', async () => {
  await sim('import k8s-merge-keys.yaml', ['import', join(C, 'k8s-merge-keys.yaml'), '--out', at('merged.yaml')], 0);
  const s = loadScenario(at('merged.yaml'));
  assert.is(s.cluster.grace, 45, 'the grace period merged from the shared spec');
  assert.is(s.cluster.replicas, 2);
  assert.equal(Object.keys(s.services).sort(), ['projects', 'tasks', 'users']);
});

test('a scenario: an undefined alias is placed at the alias, two documents are said plainly, and no YAML warning leaks', async () => {
  await sim('run undefined-alias.yaml', ['run', join(C, 'undefined-alias.yaml'), ...fast, '--out', at('u')], 2, /undefined-alias\.yaml:3:10: the alias \*nope names no anchor/);
  await sim('run two-documents.yaml', ['run', join(C, 'two-documents.yaml'), ...fast, '--out', at('t')], 2, /two-documents\.yaml:3:1: expected one YAML document, found a second one/);
  const o = runBinary(['run', join(C, 'unknown-tag.yaml'), ...fast, '--out', at('tag')], 20_000);
  expect('run unknown-tag.yaml', o, 2, /unknown-tag\.yaml:4:14: reps: expected an integer/, /unknown key "\[ a \]"/);
  assert.not.match(o.stderr, /warn|TAG_RESOLVE|Unresolved tag|stringified/i);
  const merged = write('merge.yaml', 'name: merged\nreps: 1\nbase: &b {replicas: 2, grace: 5}\n');
  await sim('run (merge key)', ['run', merged, ...fast, '--out', at('m')], 2, /merge\.yaml:3:1: base: unknown key/);
  const ok = write('merge-ok.yaml', 'name: merged\nreps: 1\ncluster: {<<: {replicas: 2, grace: 5}, grace: 7}\n');
  assert.equal([loadScenario(ok).cluster.replicas, loadScenario(ok).cluster.grace], [2, 7]);
});

test("--set 'cluster.startup=*a' and --vary with an alias are exit 2 naming the flag", async () => {
  await sim("run --set 'cluster.startup=*a'", ['run', tiny, '--set', 'cluster.startup=*a', ...fast, '--out', at('s')], 2, /--set cluster\.startup=\*a: cluster\.startup: the value: the alias \*a names no anchor/);
  await sim("sweep --vary 'cluster.startup=*a'", ['sweep', tiny, '--vary', 'cluster.startup=*a', ...fast, '--out', at('s')], 2, /--vary cluster\.startup=\*a: cluster\.startup: value '\*a': the alias \*a names no anchor/);
  await sim("sweep --vary 'cluster.grace=&a 1,*a'", ['sweep', tiny, '--vary', 'cluster.grace=&a 1,*a', ...fast, '--out', at('s')], 2, /value '\*a': the alias \*a names no anchor/);
});

// Item 8: a single-value option given twice.
test('an option that takes one value, given twice, is exit 2 naming it', async () => {
  const twice: [string, string[], string][] = [
    ['sweep --shard 0/2 --shard 1/2', ['sweep', tiny, '--shard', '0/2', '--shard', '1/2'], 'shard'],
    ['run --out a --out b', ['run', tiny, '--out', at('o1'), '--out', at('o2')], 'out'],
    ['run --live a --live b', ['run', tiny, '--live', 'scenarios/live/paper-aks.csv', '--live', 'scenarios/live/paper-aks.csv', '--out', at('o3')], 'live'],
    ['run --reps 2 --reps 3', ['run', tiny, '--reps', '2', '--reps', '3', '--out', at('o4')], 'reps'],
    ['run --workers 1 --workers 2', ['run', tiny, '--workers', '1', '--workers', '2', '--out', at('o5')], 'workers'],
    ['calibrate --all-periods 10 --all-periods 5', ['calibrate', tiny, '--live', 'scenarios/live/paper-aks.csv', '--fit', 'noise.errorRate=0..0.01', '--all-periods', '10', '--all-periods', '5'], 'all-periods'],
  ];
  for (const [name, argv, option] of twice) {
    const flags = argv.includes('--workers') ? argv : [...argv, '--workers', '1'];
    await sim(name, [...flags, '--quiet', '--no-plots'], 2, new RegExp(`^sim: command line: --${option} given 2 times \\(--${option} [^,]+, --${option} [^)]+\\); give it once$`, 'm'));
  }
  for (const out of ['o1', 'o2', 'o3', 'o4', 'o5']) assert.not.ok(existsSync(at(out)), `${out} not created`);
  // A flag may repeat (the last wins), and the options that add up still do.
  await sim('run --plots --no-plots --set a --set b', ['run', tiny, '--plots', '--no-plots', '--set', 'reps=1', '--set', 'seed=3', '--quiet', '--workers', '1', '--out', at('o6')], 0);
  assert.ok(existsSync(at('o6/runs.csv')));
  assert.not.ok(existsSync(at('o6/report.html')), '--no-plots came last');
});

// Item 9: very many bad rows.
test('sim ingest of a log with 200k bad rows lists 50 and counts the rest', async () => {
  const log = write('bad.csv', `timestamp,thread,type,name,malicious,http_status\n${'x\n'.repeat(200_000)}`);
  const o = await sim('ingest (200k bad rows)', ['ingest', log, '--period', '10', '--replicas', '3'], 2, /bad\.csv:2: expected 6 fields \(as the header\), found 1/, /^\.\.\. and 199950 more$/m);
  assert.is(o.stderr.trimEnd().split('\n').length, 51);
});

// Item 15: the file as written is checked, then the overrides.
test('an invalid value in the file is refused even when a flag overrides it', async () => {
  await sim('run overridden-invalid.yaml --reps 1', ['run', join(C, 'overridden-invalid.yaml'), '--reps', '1', ...fast, '--out', at('ov')], 2, /overridden-invalid\.yaml:3:7: reps: expected an integer from 1 to 1000000, found "three"/);
  const huge = write('huge-reps.yaml', 'name: huge\nreps: 1e308\n');
  await sim('run (reps: 1e308) --reps 1', ['run', huge, '--reps', '1', ...fast, '--out', at('ov')], 2, /huge-reps\.yaml:2:7: reps: expected an integer from 1 to 1000000, found 1e\+308/);
  await sim('sweep overridden-invalid.yaml --vary reps=1,2', ['sweep', join(C, 'overridden-invalid.yaml'), '--vary', 'reps=1,2', ...fast, '--out', at('ov')], 2, /overridden-invalid\.yaml:3:7: reps: expected an integer/);
  assert.not.ok(existsSync(at('ov')));
});

// Item 16.
test('--vary values are duplicates by value: inf, .inf and Infinity are one, like 10, 10.0 and 1e1', async () => {
  await sim('sweep --vary period=inf,.inf,Infinity', ['sweep', tiny, '--vary', 'period=inf,.inf,Infinity', ...fast, '--out', at('v')], 2, /--vary period=inf,\.inf,Infinity: diversifier\.period: value Infinity appears twice \(as inf and Infinity\)/);
  await sim('sweep --vary period=10,10.0,1e1', ['sweep', tiny, '--vary', 'period=10,10.0,1e1', ...fast, '--out', at('v')], 2, /value 10 appears twice/);
  await sim('sweep --vary period=inf,Infinity', ['sweep', tiny, '--vary', 'period=inf,Infinity', ...fast, '--out', at('v')], 2, /value Infinity appears twice \(as inf and Infinity\)/);
});

test('--set of a path that --vary or the sweep block varies is refused, naming both', async () => {
  await sim('sweep --set period=3 --vary period=10,5', ['sweep', tiny, '--set', 'period=3', '--vary', 'period=10,5', ...fast, '--out', at('sv')], 2, /--set period=3: diversifier\.period: this path is varied by --vary period=10,5/);
  await sim('sweep paper-sweep.yaml --set period=3', ['sweep', 'scenarios/paper-sweep.yaml', '--set', 'period=3', ...fast, '--out', at('sv')], 2, /--set period=3: diversifier\.period: this path is varied by scenarios\/paper-sweep\.yaml: sweep\.vary\.diversifier\.period/);
  await sim('sweep --set cluster.startup.mean=2 --vary cluster.startup=...', ['sweep', tiny, '--set', 'cluster.startup.mean=2', '--vary', 'cluster.startup.mean=1,2', ...fast, '--out', at('sv')], 2, /this path is varied by --vary cluster\.startup\.mean=1,2/);
});

test('a bad --live file is refused before any simulation runs', async () => {
  const live = write('live.csv', 'period,metric,value,source\nInfinity,insert_failure_rate,0.1,x\n10,insert_failure_rate,1e400,x\n0x10,insert_failure_rate,0.1,x\n10,insert_failure_rate,0x1,x\n');
  for (const command of ['run', 'sweep']) {
    const o = await sim(`${command} --live (Infinity, 1e400, hex)`, [command, tiny, '--live', live, '--reps', '2', ...fast, '--out', at(`live-${command}`)], 2,
      /live\.csv:2:1: period: expected a positive number of seconds, inf or all, found "Infinity"/, /live\.csv:3:3: value: expected a number, found "1e400"/, /live\.csv:4:1: period: .*found "0x10"/, /live\.csv:5:3: value: expected a number, found "0x1"/);
    assert.ok(o.ms < 5_000, `refused in ${o.ms} ms`);
    assert.not.ok(existsSync(at(`live-${command}`)), 'nothing ran');
  }
  const counts = write('counts.csv', 'period,replicas,metric,value,n,source\n10,-0,insert_failure_rate,0.1,-0,x\n10,3,insert_failure_rate,0.1,-3,x\n10,3,insert_failure_rate,0.1,1e3,"a\nquoted line break"\n10,3.0,insert_failur_rate,0.1,3,x\n');
  await sim('run --live (negative counts, decimals)', ['run', tiny, '--live', counts, ...fast, '--out', at('live-counts')], 2,
    /counts\.csv:2:2: replicas: expected a positive integer or nothing, found "-0"/, /counts\.csv:2:5: n: expected a count or nothing, found "-0"/, /counts\.csv:3:5: n: .*found "-3"/, /counts\.csv:4:5: n: .*found "1e3"/, /counts\.csv:6:2: replicas: .*found "3\.0"/, /counts\.csv:6:3: metric: unknown metric/);
});

test('sim ingest names the right line after a quoted line break', async () => {
  const log = write('quoted.csv', 'timestamp,thread,type,name,malicious,http_status\n1,t1,user,"a\nb",false,201\n2,t1,robot,c,false,201\n');
  await sim('ingest (quoted line break)', ['ingest', log, '--period', '10', '--replicas', '3'], 2, /quoted\.csv:4: type: expected user, project, task/);
  assert.equal(recordLines('a,b\n\n"x\n\ny",1\r\n,,\n "",""\n","\nlast'), [1, 3, 8, 9]);
});

// Issue 16, item 10: messages.
test('flags are named as typed: --reps 0, --seed abc, --max-events -1, --workers abc', async () => {
  await sim('run --reps 0', ['run', tiny, '--reps', '0', ...fast, '--out', at('f')], 2, /^sim: --reps 0: reps: expected an integer from 1 to 1000000, found 0$/m);
  await sim('run --seed abc', ['run', tiny, '--seed', 'abc', ...fast, '--out', at('f')], 2, /^sim: --seed abc: seed: expected an integer/m);
  await sim('sweep --max-events -1', ['sweep', tiny, '--max-events=-1', ...fast, '--out', at('f')], 2, /^sim: --max-events -1: maxEvents: expected an integer from 1 to 9007199254740991, found -1$/m);
  await sim('sweep --reps 2,3', ['sweep', tiny, '--reps', '2,3', ...fast, '--out', at('f')], 2, /^sim: --reps 2,3: reps: expected an integer/m);
  const w = await sim('run --workers abc', ['run', tiny, '--no-plots', '--quiet', '--workers', 'abc', '--out', at('f')], 2, /^sim: --workers abc: expected a number$/m);
  assert.not.match(w.stderr, /NaN|--set/);
  await sim('ingest --period 0x10', ['ingest', 'scenarios/live/example-log-p10.csv', '--period', '0x10', '--replicas', '3'], 2, /--period: expected a positive number of seconds or inf, found "0x10"/);
  await sim('ingest --replicas many', ['ingest', 'scenarios/live/example-log-p10.csv', '--period', '10', '--replicas', 'many'], 2, /^sim: --replicas many: expected a number$/m);
  assert.not.ok(existsSync(at('f')));
});

test('an unknown command is exit 2 naming the commands, even with --help', async () => {
  for (const argv of [['nosuchcommand', '--help'], ['nosuchcommand'], ['rnu', tiny]]) {
    const o = await sim(argv.join(' '), argv, 2, /unknown command "(nosuchcommand|rnu)"/, /the commands: run, sweep, merge, plot, schema, compare, ingest, import, calibrate/);
    assert.is(o.stdout, '', 'no help printed');
  }
  await sim('rnu', ['rnu', tiny], 2, /unknown command "rnu"; did you mean run\?/);
  const help = await runMain(['run', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /--reps/);
});

test('sim import of a missing folder says so plainly', async () => {
  await sim('import /no/such/folder', ['import', at('no-such-folder')], 2, /no-such-folder: no such file or folder$/m);
});

test('sim merge names the directories once, not "sim merge:" after "sim:"', async () => {
  const shard = at('shard0');
  await sim('sweep --shard 0/2', ['sweep', tiny, '--vary', 'replicas=1,2', '--reps', '2', '--shard', '0/2', ...fast, '--out', shard], 0);
  const o = await sim('merge (one shard of two)', ['merge', shard, '--out', at('merged'), '--no-plots', '--quiet'], 2, /^sim: .*shard0: missing \d+ of \d+ units .*shard 1\/2 missing or unfinished/m);
  assert.not.match(o.stderr, /sim merge:/);
});

test('the resume command is printed as sim was invoked', () => {
  const script = '/work/repo/src/cli/sim.mjs';
  assert.is(invokedAs({ npm_lifecycle_event: 'npx' }, '/root/.npm/_npx/0451/node_modules/.bin/sim', '/work/repo'), 'npx sim');
  assert.is(invokedAs({}, '/usr/local/bin/sim', '/work/repo'), 'sim');
  assert.is(invokedAs({ npm_lifecycle_event: 'sim', npm_lifecycle_script: 'node src/cli/sim.mjs' }, script, '/work/repo'), 'npm run sim --');
  assert.is(invokedAs({}, script, '/work/repo'), 'node src/cli/sim.mjs');
  assert.is(invokedAs({}, script, '/elsewhere'), `node ${script}`);
  // `npm test` spawning sim passes its variables on: they do not describe sim.
  assert.is(invokedAs({ npm_lifecycle_event: 'test', npm_lifecycle_script: 'node --import tsx node_modules/uvu/bin.js test' }, script, '/work/repo'), 'node src/cli/sim.mjs');
});

test('the README section scenarios/paper.yaml points to exists', () => {
  const named = /see README "([^"]+)"/.exec(readFileSync('scenarios/paper.yaml', 'utf8'))?.[1];
  assert.ok(named);
  assert.ok(readFileSync('README.md', 'utf8').split('\n').some((l) => /^#+ /.test(l) && l.replace(/^#+ /, '') === named), `README has a section "${named}"`);
});

test.after(() => {
  if (process.env.HOSTILE_TABLE) console.log(['| command | exit | ms | first line of the message |', '| --- | --- | --- | --- |', ...table].join('\n'));
});

test.run();
