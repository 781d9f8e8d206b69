import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planRun, planSweep, valuesOfCell } from '../src/experiment/plan.ts';
import { parseShard, planUnits, shardUnits, unitReps } from '../src/experiment/units.ts';
import { axesFromBlock, mergeAxes, parseVary, type Axis } from '../src/experiment/vary.ts';
import { UserError } from '../src/util/errors.ts';
import { loadScenario } from '../src/scenario/load.ts';

const root = mkdtempSync(join(tmpdir(), 'sweep-plan-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** The message of the UserError that `f` throws. */
function userError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('expected a UserError');
}

test('--vary takes lists of YAML scalars, integer ranges with a step, and mixes of both', () => {
  assert.equal(parseVary('period=inf,15,10').values, ['inf', 15, 10]);
  assert.is(parseVary('period=inf,15').path, 'diversifier.period');
  assert.equal(parseVary('replicas=1..6').values, [1, 2, 3, 4, 5, 6]);
  assert.equal(parseVary('ingress.tries=1..7:3').values, [1, 4, 7]);
  assert.equal(parseVary('replicas=6..1:2').values, [6, 4, 2]);
  assert.equal(parseVary('replicas=1..3,8').values, [1, 2, 3, 8]);
  assert.equal(parseVary('ingress.policy=round-robin, random').values, ['round-robin', 'random']);
  assert.equal(parseVary('cluster.startup.mean=.inf,2.5,1e1').values, [Infinity, 2.5, 10]);
  assert.equal(parseVary('diversifier.waitForDeletion=true,false').values, [true, false]);
  assert.equal(parseVary('workload.dataset.file=../a.csv').values, ['../a.csv']);
});

test('a malformed --vary names the token and the bad item', () => {
  const cases: [string, RegExp][] = [
    ['replicas=1..x', /--vary replicas=1\.\.x: .*bad range '1\.\.x'/],
    ['replicas=1.5..3', /--vary replicas=1\.5\.\.3: .*bad range '1\.5\.\.3'/],
    ['replicas=1..6:0', /--vary replicas=1\.\.6:0: .*step must be a positive integer/],
    ['period=1,,2', /--vary period=1,,2: .*empty value at position 2/],
    ['period=', /--vary period=: .*at least one value/],
    ['perod=1,2', /--vary perod=1,2: unknown setting "perod"; did you mean period\?/],
    ['cluster.replicass=1', /--vary cluster.replicass=1: unknown setting/],
    ['replicas', /--vary replicas: expected PATH=LIST/],
    ['replicas=1,2,1', /--vary replicas=1,2,1: .*value 1 appears twice/],
    ['period={a: 1}', /--vary period=\{a: 1\}: .*not valid YAML|mapping/],
    ['replicas=0..999999', /more than 100000/],
    ['sweep.vary.period=1', /cannot vary its own sweep block/],
  ];
  for (const [token, re] of cases) assert.match(userError(() => parseVary(token)), re, token);
});

test('command-line axes follow the block\'s, and one that varies a block path replaces it in place', () => {
  const block = axesFromBlock({ period: [15, 10], 'ingress.tries': '1..2' }, 'x.yaml');
  assert.equal(block.map((a) => [a.path, a.values]), [['diversifier.period', [15, 10]], ['ingress.tries', [1, 2]]]);
  const axes = mergeAxes(block, [parseVary('replicas=1,2'), parseVary('diversifier.period=5')]);
  assert.equal(axes.map((a) => a.path), ['diversifier.period', 'ingress.tries', 'cluster.replicas']);
  assert.equal(axes[0].values, [5]);
  assert.match(userError(() => mergeAxes([], [parseVary('period=1'), parseVary('diversifier.period=2')])), /--vary diversifier.period=2: .*already varied by --vary period=1/);
  assert.match(userError(() => axesFromBlock({ replicas: '1..x' }, 'x.yaml')), /x.yaml: sweep.vary.replicas: bad range/);
});

test('cells are row-major: the first axis varies slowest, the last fastest', () => {
  const axes: Axis[] = [
    { path: 'a', values: [1, 2], source: '' },
    { path: 'b', values: ['x', 'y', 'z'], source: '' },
  ];
  const cells = Array.from({ length: 6 }, (_, i) => valuesOfCell(axes, i).join(''));
  assert.equal(cells, ['1x', '1y', '1z', '2x', '2y', '2z']);
  assert.equal(valuesOfCell([], 0), []);
});

const small = ['workload.dataset.tasksPerProject=10', 'reps=4'];

test('each cell is the scenario with its values applied like --set; period and replicas are never extra columns', () => {
  const plan = planSweep('scenarios/paper-sweep.yaml', { sets: small, vary: ['replicas=2..3', 'tries=1,2'] });
  assert.is(plan.cells.length, 6 * 2 * 2);
  assert.equal(plan.paramColumns, ['ingress.tries']);
  const c = plan.cells[7]; // 4 cells per period: (15, 3, 2) is the last of the second period
  assert.equal(c.values, [15, 3, 2]);
  assert.is(c.scenario.diversifier.period, 15);
  assert.is(c.scenario.cluster.replicas, 3);
  assert.is(c.scenario.ingress.tries, 2);
  assert.is(c.scenario.workload.dataset.tasksPerProject, 10);
  assert.is(c.scenario.sweep, undefined);
  assert.is(plan.cells[0].scenario.diversifier.period, 'inf');
  assert.match(plan.resolvedText, /sweep:\n {2}vary:\n {4}diversifier.period: \[ inf, 15, 10, 5, 3, 1 \]\n {4}cluster.replicas: \[ 2, 3 \]\n {4}ingress.tries: \[ 1, 2 \]/);
});

test('a value the scenario rejects names the --vary token and the value, once', () => {
  const msg = userError(() => planSweep('scenarios/paper-sweep.yaml', { sets: small, vary: ['replicas=0..2'] }));
  assert.match(msg, /--vary replicas=0\.\.2 \(value 0\): cluster.replicas: expected an integer/);
  assert.is(msg.split('\n').length, 1);
  assert.match(userError(() => planSweep('scenarios/paper-sweep.yaml', { vary: ['period=-1'] })), /--vary period=-1 \(value -1\): diversifier.period/);
});

test('the plan hash names the results: equal for equal sweeps, different when anything they depend on changes', () => {
  const a = planSweep('scenarios/paper-sweep.yaml', { sets: small });
  assert.is(planSweep('scenarios/paper-sweep.yaml', { sets: small }).hash, a.hash);
  assert.is.not(planSweep('scenarios/paper-sweep.yaml', { sets: [...small, 'reps=5'] }).hash, a.hash);
  assert.is.not(planSweep('scenarios/paper-sweep.yaml', { sets: [...small, 'seed=2'] }).hash, a.hash);
  assert.is.not(planSweep('scenarios/paper-sweep.yaml', { sets: small, vary: ['period=inf,15,10,5,1,3'] }).hash, a.hash);
  // sweep.resolved.yaml is itself a scenario that plans the same sweep.
  const file = join(root, 'resolved.yaml');
  writeFileSync(file, a.resolvedText);
  assert.is(planSweep(file).hash, a.hash);
});

test('sim run is a plan of one cell whose resolved file is the scenario as loaded', () => {
  const s = loadScenario('scenarios/paper.yaml', ['reps=3']);
  const plan = planRun(s);
  assert.is(plan.cells.length, 1);
  assert.is(plan.resolvedFile, 'scenario.resolved.yaml');
  assert.equal(plan.paramColumns, []);
  assert.equal(plan.units, [{ index: 0, cell: 0, from: 0, to: 3 }]);
});

test('units cut each cell into blocks of at least 25 and at most 100 per cell, in cell order', () => {
  assert.is(unitReps(10), 25);
  assert.is(unitReps(1000), 25);
  assert.is(unitReps(1_000_000), 10_000);
  const units = planUnits([60, 10]);
  assert.equal(units.map((u) => [u.cell, u.from, u.to]), [[0, 0, 25], [0, 25, 50], [0, 50, 60], [1, 0, 10]]);
  assert.equal(units.map((u) => u.index), [0, 1, 2, 3]);
});

test('the shards of a split are disjoint and together hold every unit', () => {
  const units = planUnits([100, 100, 30, 7]);
  for (const n of [1, 2, 3, 5, 20]) {
    const parts = Array.from({ length: n }, (_, i) => shardUnits(units, { index: i, count: n }).map((u) => u.index));
    const all = parts.flat().sort((a, b) => a - b);
    assert.equal(all, units.map((u) => u.index), `n = ${n}`);
  }
  assert.equal(parseShard('2/5'), { index: 2, count: 5 });
  assert.match(userError(() => parseShard('5/5')), /--shard 5\/5: i must be between 0 and 4/);
  assert.match(userError(() => parseShard('1/0')), /--shard 1\/0: n must be at least 1/);
  assert.match(userError(() => parseShard('a/b')), /--shard a\/b: expected i\/n/);
});

test.run();
