import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrate, type FitParam, type SimStat, type Target } from '../src/experiment/calibrate.ts';
import { cellsOf, parseFit, simulator, type SimSetup } from '../src/experiment/calibrate-sim.ts';
import { gridSearch } from '../src/experiment/grid-search.ts';
import { loss } from '../src/experiment/loss.ts';
import { summarize } from '../src/metrics/summary.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { Cell, paper } from './helpers/sim.ts';

const root = mkdtempSync(join(tmpdir(), 'calibrate-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const fit = (token: string): FitParam => {
  const r = parseFit(token);
  if ('message' in r) throw new Error(r.message);
  return r;
};

test('the search finds the minimum of a smooth function within its resolution, never over budget, deterministically', () => {
  const params = [{ low: -1, high: 3, integer: false }, { low: 0, high: 10, integer: false }];
  const f = (x: number[]) => (x[0] - 1.234) ** 2 + 0.1 * (x[1] - 7.77) ** 2;
  const run = () => gridSearch(params, (x) => f(x), (done) => done.map((d) => d.e), { budget: 60 });
  const points = run();
  assert.ok(points.length <= 60);
  const best = points.reduce((a, b) => (b.loss < a.loss ? b : a));
  assert.ok(Math.abs(best.x[0] - 1.234) < 0.02, String(best.x));
  assert.ok(Math.abs(best.x[1] - 7.77) < 0.1, String(best.x));
  assert.equal(run().map((p) => p.x), points.map((p) => p.x));
});

test('integer parameters take integer values only', () => {
  const points = gridSearch([{ low: 1, high: 10, integer: true }], (x) => Math.abs(x[0] - 6.4), (d) => d.map((p) => p.e), { budget: 40 });
  assert.ok(points.every((p) => Number.isInteger(p.x[0])));
  assert.is(points.reduce((a, b) => (b.loss < a.loss ? b : a)).x[0], 6);
});

test('calibration of a linear model recovers the parameter, and its 95 % interval (loss <= min + 3.84) spans 1.96 standard errors', () => {
  // mean(theta) = 2 theta, sd of single runs 0.5; live mean of 25 runs = 1.3 -> theta = 0.65.
  const targets: Target[] = [{ metric: 'm', period: '10', replicas: 3, value: 1.3, n: 25, source: 't', line: 2 }];
  const simulate = (x: readonly number[]): SimStat[] => [{ mean: 2 * x[0], sd: 0.5, n: 100, trials: NaN }];
  const c = calibrate([{ path: 'p', low: 0, high: 2, integer: false }], targets, simulate, { budget: 40, reps: 100 });
  assert.ok(Math.abs(c.best.values[0] - 0.65) < 0.002, String(c.best.values));
  // s^2 = 0.5^2 / 25 + 0.5^2 / 100 -> s = 0.1118; loss = ((1.3 - 2 theta) / s)^2 <= min + 3.84 for |theta - 0.65| <= 1.96 s / 2.
  const s = Math.sqrt(0.25 / 25 + 0.25 / 100);
  const half = (Math.sqrt(3.841458820694124) * s) / 2;
  assert.ok(Math.abs(c.residuals[0].scale - s) < 1e-12);
  assert.is(c.profiles[0].method, 'surrogate');
  // Within the surrogate scan's lattice (1/200 of the scanned span).
  assert.ok(Math.abs(c.profiles[0].low.value - (0.65 - half)) < 0.004, JSON.stringify(c.profiles[0]));
  assert.ok(Math.abs(c.profiles[0].high.value - (0.65 + half)) < 0.004, JSON.stringify(c.profiles[0]));
  assert.not.ok(c.profiles[0].low.open || c.profiles[0].high.open);
});

test('an integer parameter is enumerated, each value with its own fit of the others, and its interval is in whole values', () => {
  const targets: Target[] = [
    { metric: 'a', period: '10', replicas: 3, value: 0.57, n: 1, source: 't', line: 2 },
    { metric: 'b', period: '10', replicas: 3, value: 2, n: 1, source: 't', line: 3 },
  ];
  const simulate = (x: readonly number[]): SimStat[] => [{ mean: x[0] + 0.1 * x[1], sd: 0.05, n: 50, trials: NaN }, { mean: x[1], sd: 0.5, n: 50, trials: NaN }];
  const params: FitParam[] = [{ path: 'x', low: 0, high: 1, integer: false }, { path: 'k', low: 1, high: 3, integer: true }];
  const c = calibrate(params, targets, simulate, { budget: 40, reps: 50 });
  assert.is(c.best.values[1], 2);
  assert.ok(Math.abs(c.best.values[0] - 0.37) < 0.005, String(c.best.values));
  assert.equal(c.profiles[1].points.map((p) => p.value), [1, 2, 3], 'every k, each at its own best x');
  assert.is(c.profiles[1].method, 'discrete');
  assert.ok(Number.isInteger(c.profiles[1].low.value) && Number.isInteger(c.profiles[1].high.value));
});

test('a live value with a CI uses its standard error; a metric the model holds constant counts: matched it costs nothing, missed it is impossible', () => {
  const targets: Target[] = [
    { metric: 'a', period: '10', replicas: 3, value: 1, n: 4, se: 0.2, source: 't', line: 2 },
    { metric: 'b', period: '10', replicas: 3, value: 360, n: 1, source: 't', line: 3 },
  ];
  const sim = (b: number) => (x: readonly number[]): SimStat[] => [{ mean: x[0], sd: 1, n: 50, trials: NaN }, { mean: b, sd: 0, n: 50, trials: NaN }];
  const c = calibrate([{ path: 'p', low: 0, high: 2, integer: false }], targets, sim(360), { budget: 20, reps: 50 });
  assert.ok(Math.abs(c.residuals[0].scale - Math.sqrt(0.04 + 1 / 50)) < 1e-12);
  assert.equal([c.residuals[1].z, c.residuals[1].residual], [0, 0]);
  assert.ok(c.best.loss < 1e-6);
  const missed = calibrate([{ path: 'p', low: 0, high: 2, integer: false }], targets, sim(300), { budget: 20, reps: 50 });
  assert.is(missed.best.loss, Infinity);
  assert.is(missed.pValue, 0);
});

test('--fit takes numeric paths, distribution fields and integer settings, with messages for the rest', () => {
  assert.equal(fit('errorRate=0..0.02'), { path: 'noise.errorRate', low: 0, high: 0.02, integer: false });
  assert.equal(fit('cluster.endpointSliceDelay.max=0.1..3'), { path: 'cluster.endpointSliceDelay.max', low: 0.1, high: 3, integer: false });
  assert.equal(fit('ingress.tries=1..5'), { path: 'ingress.tries', low: 1, high: 5, integer: true });
  const message = (t: string) => (parseFit(t) as { message: string }).message;
  assert.match(message('noise.errRate=0..1'), /unknown setting "noise\.errRate".*did you mean noise\.errorRate/);
  assert.match(message('cluster.readiness=0..1'), /expected a numeric setting for a range; list the values to try, e\.g\. cluster\.readiness=none,probe/);
  assert.equal(fit('ingress.policy=round-robin,random,least-request'), { path: 'ingress.policy', low: 0, high: 2, integer: true, choices: ['round-robin', 'random', 'least-request'] });
  assert.equal(fit('readiness=none,probe'), { path: 'cluster.readiness', low: 0, high: 1, integer: true, choices: ['none', 'probe'] });
  assert.match(message('ingress.policy=round-robin,fastest'), /expected values among round-robin, random, least-request, found fastest/);
  assert.match(message('ingress.policy=random'), /at least two comma-separated values/);
  assert.match(message('noise.errorRate=0.02..0'), /expected LOW < HIGH/);
  assert.match(message('ingress.tries=1..2.5'), /integer bounds/);
  assert.match(message('noise.errorRate'), /expected PATH=LOW\.\.HIGH or PATH=A,B/);
});

test('a period "all" value needs the cells of every period it averages over', () => {
  const t = (period: string, replicas: number): Target => ({ metric: 'm', period, replicas, value: 0, n: 1, source: '', line: 1 });
  assert.equal(cellsOf([t('10', 3), t('all', 3), t('5', 5)], ['inf', '10', '1']), [
    { period: '10', replicas: 3 }, { period: 'inf', replicas: 3 }, { period: '1', replicas: 3 }, { period: '5', replicas: 5 },
  ]);
});

/**
 * Recovery with honest coverage: "live" results made by the simulator with a
 * known timing parameter (cluster.shutdownDelay = 1 s with sigterm exit: a
 * deleted pod is gone before the ingress drops it, so tries time out) from
 * one seed, 10 runs; a fit with 10 replications of another seed. The 95 %
 * interval must hold the truth in at least 8 of 10 such fits (a 95 %
 * interval fails that with probability 1.2 %). Small on purpose: 2 users,
 * 10 tasks per project, few replications and evaluations (about 10 s).
 */
test('the 95 % interval of a fitted timing parameter holds the truth in at least 8 of 10 fits to live data of other seeds', () => {
  const small = ['workload.dataset.users=2', 'workload.dataset.tasksPerProject=10', 'workload.dataset.maliciousTasks=1', 'diversifier.period=1', 'cluster.sigterm=exit'];
  const truth = 1;
  const params = [fit('cluster.shutdownDelay=0..3')];
  const results: string[] = [];
  let covered = 0;
  let informative = 0;
  for (let i = 0; i < 10; i++) {
    const runs = new Cell(paper(...small, `cluster.shutdownDelay=${truth}`, `seed=${500 + i}`)).runs(10);
    const s = summarize(runs.map((r) => r.m.failure_rate));
    const targets: Target[] = [{ metric: 'failure_rate', period: '1', replicas: 3, value: s.mean, n: s.n, source: 'sim', line: 2 }];
    const setup: SimSetup = { file: 'scenarios/paper.yaml', sets: [...small, `seed=${900 + i}`], params, targets, allPeriods: [], reps: 10 };
    const c = calibrate(params, targets, simulator(setup), { budget: 7, reps: 10 });
    const { low, high } = c.profiles[0];
    if (low.value <= truth && truth <= high.value) covered++;
    results.push(`${c.best.values[0].toFixed(3)} [${low.value.toFixed(3)}, ${high.value.toFixed(3)}] ${c.profiles[0].method}`);
    if (high.value - low.value < 1.5) informative++;
  }
  assert.ok(covered >= 8, `truth ${truth} covered in ${covered} of 10: ${results.join('; ')}`);
  assert.ok(informative >= 7, `intervals narrower than half the range in ${informative} of 10: ${results.join("; ")}`);
});

test('the loss of a point depends on that point only: two fits over different ranges that reach the same predictions report the same loss', () => {
  // Two live values that no theta matches at once (they want 0.65 and 0.8); the spread grows with theta.
  const targets: Target[] = [
    { metric: 'a', period: '10', replicas: 3, value: 1.3, n: 1, source: 't', line: 2 },
    { metric: 'b', period: '10', replicas: 3, value: 1.6, n: 1, source: 't', line: 3 },
  ];
  const simulate = (x: readonly number[]): SimStat[] => [0, 1].map(() => ({ mean: 2 * x[0], sd: 0.1 + x[0], n: 50, trials: NaN }));
  const run = (low: number, high: number) => calibrate([{ path: 'p', low, high, integer: false }], targets, simulate, { budget: 30, reps: 50 });
  const a = run(0, 2);
  const b = run(0.3, 6);
  assert.ok(Math.abs(a.best.values[0] - b.best.values[0]) < 0.01, `${a.best.values} vs ${b.best.values}`);
  assert.ok(Math.abs(a.best.loss - b.best.loss) < 0.01 * a.best.loss, `losses ${a.best.loss} and ${b.best.loss}`);
  // Exactly: what each reports is its optimum's own loss, a function of that point's statistics alone.
  for (const c of [a, b]) assert.is(c.best.loss, loss(targets, c.best.stats, 50));
});

test('a model that predicts no failure where live saw 0.235 % of about 1000 inserts is ruled out by its loss', () => {
  const targets: Target[] = [{ metric: 'insert_failure_rate', period: '10', replicas: 3, value: 0.00235, n: 1, source: 'paper', line: 2 }];
  // Zero in every one of 100 runs of about 1015 inserts: no spread seen at all.
  const c = calibrate([], targets, () => [{ mean: 0, sd: 0, n: 100, trials: 1015 }], { budget: 1, reps: 100 });
  assert.ok(c.best.loss > 100, `loss ${c.best.loss}`);
  assert.ok(c.pValue < 1e-6, `p ${c.pValue}`);
  // A model that predicts 0.2 % with the spread of one run's counting is not.
  const sd = Math.sqrt((0.002 * 0.998) / 1015);
  const fits = calibrate([], targets, () => [{ mean: 0.002, sd, n: 100, trials: 1015 }], { budget: 1, reps: 100 });
  assert.ok(fits.pValue > 0.5, `p ${fits.pValue}`);
  // With the live denominator given, the counting floor uses it: 10 times the trials, a tighter scale.
  const counted = calibrate([], [{ ...targets[0], denominator: 10150 }], () => [{ mean: 0.002, sd: 0, n: 100, trials: 1015 }], { budget: 1, reps: 100 });
  assert.ok(Math.abs(counted.residuals[0].scale - Math.sqrt((0.002 * 0.998) / 10150 + 0)) < 1e-12, String(counted.residuals[0].scale));
});

test('the loss of a right model follows a chi-square with m degrees of freedom: its p-value is uniform', () => {
  // m = 5 live values, each one run drawn from the model (normal, sd 1); simulated mean and sd exact (reps large).
  let state = 12345;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const trials = 2000;
  let below = 0;
  let sum = 0;
  for (let i = 0; i < trials; i++) {
    const targets: Target[] = Array.from({ length: 5 }, (_, k) => ({ metric: `m${k}`, period: '10', replicas: 3, value: normal(), n: 1, source: 't', line: k }));
    const c = calibrate([], targets, () => targets.map(() => ({ mean: 0, sd: 1, n: 1e9, trials: NaN })), { budget: 1, reps: 1e9 });
    sum += c.best.loss;
    if (c.pValue < 0.05) below++;
  }
  // Mean 5 (sd of the mean sqrt(10 / 2000)); 5 % below 0.05 (binomial, 4 standard errors).
  assert.ok(Math.abs(sum / trials - 5) < 4 * Math.sqrt(10 / trials), `mean loss ${sum / trials}`);
  assert.ok(Math.abs(below / trials - 0.05) < 4 * Math.sqrt((0.05 * 0.95) / trials), `${below} of ${trials} below 0.05`);
});

test('a choice and a range are fitted jointly: each choice gets its own fit, the best is chosen, the others accepted or not by their loss', () => {
  const targets: Target[] = [{ metric: 'a', period: '10', replicas: 3, value: 1, n: 25, source: 't', line: 2 }];
  // Choice 0 can reach 1 (at x = 0.5), choice 1 only 0.4 at most, choice 2 reaches 1 at x = 1.
  const simulate = (x: readonly number[]): SimStat[] => [{ mean: [2 * x[1], 0.4 * x[1], x[1]][x[0]], sd: 0.5, n: 50, trials: NaN }];
  const params: FitParam[] = [fit('ingress.policy=round-robin,random,least-request'), { path: 'x', low: 0, high: 1, integer: false }];
  const c = calibrate(params, targets, simulate, { budget: 12, reps: 50 });
  assert.is(c.profiles[0].method, 'discrete');
  assert.equal(c.profiles[0].accepted, [0, 2]);
  assert.ok(c.best.values[0] === 0 || c.best.values[0] === 2);
});

const sim = (...args: string[]) => spawnSync(process.execPath, ['src/cli/sim.mjs', ...args], { encoding: 'utf8' });

test('sim calibrate writes calibrated.yaml (runnable, with the fitted value), calibration.csv and residuals.csv', () => {
  const scenario = join(root, 'small.yaml');
  writeFileSync(scenario, 'name: small\nseed: 3\nworkload:\n  dataset: { users: 2, tasksPerProject: 10, maliciousTasks: 2 }\n');
  const live = join(root, 'live.csv');
  writeFileSync(live, 'period,replicas,metric,value,ci_low,ci_high,n,source\n10,3,failure_rate,0.03,,,,lab\nall,3,failure_rate,0.03,,,,lab\n');
  const out = join(root, 'cal');
  const r = sim('calibrate', scenario, '--live', live, '--fit', 'noise.errorRate=0..0.1', '--reps', '5', '--budget', '8', '--all-periods', '10,5', '--out', out);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /noise\.errorRate\s+0\.0\d+/);
  assert.match(r.stderr, /calibrate: evaluation 1 \(budget 8\) noise\.errorRate=0/);
  const s = loadScenario(join(out, 'calibrated.yaml'));
  assert.is(s.name, 'small-calibrated');
  assert.ok(s.noise.errorRate > 0.01 && s.noise.errorRate < 0.06, String(s.noise.errorRate));
  const yaml = readFileSync(join(out, 'calibrated.yaml'), 'utf8');
  assert.match(yaml, /errorRate: [0-9.]+ # fitted in 0\.\.0\.1; 95 % interval \[/);
  assert.ok(yaml.includes(`# Calibrated by: sim calibrate ${scenario} --live ${live} --fit noise.errorRate=0..0.1 --reps 5 --budget 8 --all-periods 10,5 --out ${out}\n`), yaml);
  const residuals = readFileSync(join(out, 'residuals.csv'), 'utf8').split('\n');
  assert.is(residuals[0], 'period,replicas,metric,live_value,sim_mean,sim_sd,sim_n,sim_trials,residual,scale,z,z2,source');
  assert.match(residuals[2], /^all,3,failure_rate,0\.03,/);
  assert.ok(readFileSync(join(out, 'calibration.csv'), 'utf8').split('\n').length >= 9);

  const scored = sim('calibrate', scenario, '--live', live, '--eval', '--reps', '5', '--all-periods', '10,5', '--out', join(root, 'eval'));
  assert.is(scored.status, 0, scored.stderr);
  assert.match(scored.stdout, /loss [0-9.e+-]+ over 2 live values, 2 degrees of freedom: p = /);
  assert.not.ok(existsSync(join(root, 'eval', 'calibrated.yaml')), 'a scored scenario is not rewritten');
  assert.ok(existsSync(join(root, 'eval', 'residuals.csv')));

  const joint = sim('calibrate', scenario, '--live', live, '--fit', 'ingress.policy=round-robin,random', '--fit', 'noise.errorRate=0..0.1', '--set', 'readiness=probe', '--reps', '3', '--budget', '5', '--all-periods', '10,5', '--quiet', '--out', join(root, 'joint'));
  assert.is(joint.status, 0, joint.stderr);
  assert.match(joint.stdout, /ingress\.policy\s+(round-robin|random)\s+\{/);
  const jointYaml = readFileSync(join(root, 'joint', 'calibrated.yaml'), 'utf8');
  assert.ok(jointYaml.includes('--fit ingress.policy=round-robin,random --fit noise.errorRate=0..0.1 --set readiness=probe --reps 3 --budget 5 --all-periods 10,5'), jointYaml);
  assert.match(jointYaml, /policy: (round-robin|random) # fitted in round-robin,random; 95 % interval \{/);

  const bad = sim('calibrate', scenario, '--live', live, '--fit', 'noise.errorRate=0..2');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--fit noise\.errorRate=0\.\.2 \(at 2\): noise\.errorRate: expected a number from 0 to 1, found 2/);
});

test.run();
