/**
 * Random command lines (fast-check) through main() and the real executable:
 * every command, real and broken files, flags with absurd values, unknown
 * flags, flags twice. Whatever the line, the outcome is an exit code of 0,
 * 1, 2 or 4 with a one-line-per-problem message, never an internal error,
 * a stack trace or a hang. FUZZ_RUNS (default 600) scales the counts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashed, runBinary, runMain, type Outcome } from './helpers/in-process.ts';

const runs = Number(process.env.FUZZ_RUNS ?? 600);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
const dir = mkdtempSync(join(tmpdir(), 'fuzz-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const tiny = file('tiny.yaml', 'name: tiny\nreps: 2\nworkload:\n  dataset: {users: 2, tasksPerProject: 5, maliciousTasks: 1}\n');
const bad = file('bad.yaml', 'name: bad\ncluster:\n  replicas: three\n  bogus: 1\n');
const binary = file('binary.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));
const badLive = file('bad-live.csv', 'period,metric,value,source\nx,nope,abc,\n');
const aFile = file('a-file', 'not a directory');
const outputDir = join(dir, 'finished');
const emptyDir = join(dir, 'empty');
mkdirSync(emptyDir);

const positionals = [tiny, bad, binary, badLive, aFile, emptyDir, outputDir, join(dir, 'missing.yaml'), 'scenarios/paper.yaml', 'scenarios/k8s/todo', 'scenarios/live/example-log-p10.csv', '', '-'];
const text = fc.string({ maxLength: 12 });
const flags: Record<string, fc.Arbitrary<string> | null> = {
  '--reps': fc.constantFrom('1', '2', '0', '-1', '1.5', 'abc', '1e9', '', '{a: 1}'),
  '--seed': fc.constantFrom('0', '7', '-1', '1e300', 'x', '9007199254740993'),
  '--set': fc.oneof(fc.constantFrom('period=5', 'period=0', 'replicas=abc', 'cluster.startup={dist: uniform, min: 2, max: 1}', 'nope=1', '=', 'a', 'period=[1', 'services.users.replicas=2', 'latency=&a [*a, *a]'), text),
  '--vary': fc.oneof(fc.constantFrom('period=inf,10', 'replicas=1..2', 'period=1..1000000000', 'period=', 'bogus=1', '=1', 'period=1,1', 'reps=1..2', 'period=a..b', 'sweep.vary=1'), text),
  '--workers': fc.constantFrom('1', '2', '0', '-3', 'abc', '1e9'),
  '--max-events': fc.constantFrom('1', '1000', '0', 'x', '100000000'),
  '--shard': fc.constantFrom('0/2', '1/2', '2/2', '1/0', 'x', '0/1'),
  '--live': fc.constantFrom('scenarios/live/paper-aks.csv', badLive, binary, join(dir, 'missing.csv'), emptyDir),
  '--out': fc.constantFrom(join(dir, 'o1'), join(dir, 'o2'), join(aFile, 'x'), outputDir),
  '--fit': fc.constantFrom('noise.errorRate=0..0.02', 'x=1..2', 'bad', 'ingress.tries=1..3'),
  '--budget': fc.constantFrom('1', '0', 'x'),
  '--period': fc.constantFrom('10', 'inf', '-1', 'x'),
  '--replicas': fc.constantFrom('3', '0', 'x'),
  '--rename': fc.constantFrom('a=b', '=', 'todo-users=users'),
  '--name': text,
  '--all-periods': fc.constantFrom('inf,15,10', 'x', ''),
  '--metric': fc.constantFrom('insert_failure_rate', 'nope'),
  '--bogus': text,
  '--trace': null, '--resume': null, '--force': null, '--quiet': null, '--fail-outside': null, '-R': null, '--help': null,
};
const commands = ['run', 'sweep', 'merge', 'plot', 'compare', 'calibrate', 'ingest', 'import', 'schema', 'bogus', 'runn'];
const withOut = new Set(['run', 'sweep', 'merge', 'calibrate', 'import', 'ingest']);
const withNoPlots = new Set(['run', 'sweep', 'merge', 'compare']);

const flag: fc.Arbitrary<string[]> = fc
  .constantFrom(...Object.keys(flags))
  .chain((f) => (flags[f] === null ? fc.constant([f]) : (flags[f] as fc.Arbitrary<string>).map((v) => [f, v])));
const commandLine = fc
  .record({ command: fc.constantFrom(...commands), positional: fc.array(fc.constantFrom(...positionals), { maxLength: 2 }), flags: fc.array(flag, { maxLength: 5 }) })
  .map(({ command, positional, flags: fs }) => {
    const argv = [command, ...positional, ...fs.flat()];
    // Bounded work: no figures (seconds each), an output under the test's folder, a calibration of one evaluation.
    if (withNoPlots.has(command)) argv.push('--no-plots');
    if (command === 'plot') return argv.map((a) => (a === outputDir ? emptyDir : a));
    if (withOut.has(command) && !argv.includes('--out')) argv.push('--out', join(dir, 'default-out'));
    if (command === 'calibrate' && !argv.includes('--budget')) argv.push('--budget', '1');
    return argv;
  });

const codes: Record<string, number> = {};

function check(argv: string[], o: Outcome): void {
  const where = `sim ${argv.join(' ')}\nexit ${o.code}\n${o.stderr}`;
  assert.not.ok(crashed(o), where);
  assert.ok([0, 1, 2, 4].includes(o.code ?? -1), where);
  assert.ok(o.ms < 30_000, `took ${o.ms} ms: ${where}`);
  if (o.code === 2 || o.code === 4) assert.match(o.stderr, /^sim: \S/, where);
  codes[`exit ${o.code}`] = (codes[`exit ${o.code}`] ?? 0) + 1;
}

test('setup: a finished run to plot, compare, merge and resume', async () => {
  const o = await runMain(['run', tiny, '--no-plots', '--quiet', '--workers', '1', '--out', outputDir]);
  assert.is(o.code, 0, o.stderr);
});

test('random command lines through main(): exit 0, 1, 2 or 4 with a message, never a crash or a hang', async () => {
  await fc.assert(
    fc.asyncProperty(commandLine, async (argv) => check(argv, await runMain(argv))),
    { numRuns: Math.ceil(runs / 3), seed },
  );
});

test('random command lines through the real executable, with a time limit', () => {
  for (const argv of fc.sample(commandLine, { numRuns: Math.max(2, Math.ceil(runs / 150)), seed })) check(argv, runBinary(argv));
  assert.ok(existsSync(outputDir));
});

test.after(() => {
  console.log(`\nfuzz-cli (FUZZ_RUNS=${runs}): ${Object.entries(codes).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`);
});

test.run();
