import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrate, type FitParam, type SimStat, type Target } from '../src/experiment/calibrate.ts';
import { cellsOf, parseFit, simulator, type SimSetup } from '../src/experiment/calibrate-sim.ts';
import { gridSearch } from '../src/experiment/grid-search.ts';
import { summarize, tQuantile } from '../src/metrics/summary.ts';
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

test('calibration of a linear model recovers the parameter, and loss <= min + 1 spans one standard error', () => {
  // mean(theta) = 2 theta, sd of single runs 0.5; live mean of 25 runs = 1.3 -> theta = 0.65.
  const targets: Target[] = [{ metric: 'm', period: '10', replicas: 3, value: 1.3, n: 25, source: 't', line: 2 }];
  const simulate = (x: readonly number[]): SimStat[] => [{ mean: 2 * x[0], sd: 0.5, n: 100 }];
  const c = calibrate([{ path: 'p', low: 0, high: 2, integer: false }], targets, simulate, { budget: 40, reps: 100 });
  assert.ok(Math.abs(c.best.values[0] - 0.65) < 0.002, String(c.best.values));
  // s^2 = 0.5^2 / 25 + 0.5^2 / 100 -> s = 0.1118; loss = ((1.3 - 2 theta) / s)^2 <= min + 1 for |theta - 0.65| <= s / 2.
  const s = Math.sqrt(0.25 / 25 + 0.25 / 100);
  assert.ok(Math.abs(c.residuals[0].scale - s) < 1e-12);
  assert.ok(Math.abs(c.profiles[0].low.value - (0.65 - s / 2)) < 0.01, JSON.stringify(c.profiles[0]));
  assert.ok(Math.abs(c.profiles[0].high.value - (0.65 + s / 2)) < 0.01, JSON.stringify(c.profiles[0]));
  assert.not.ok(c.profiles[0].low.open || c.profiles[0].high.open);
});

test('an integer parameter is tried at the refined values of the others, and its interval is in whole values', () => {
  const targets: Target[] = [
    { metric: 'a', period: '10', replicas: 3, value: 0.57, n: 1, source: 't', line: 2 },
    { metric: 'b', period: '10', replicas: 3, value: 2, n: 1, source: 't', line: 3 },
  ];
  const simulate = (x: readonly number[]): SimStat[] => [{ mean: x[0] + 0.1 * x[1], sd: 0.05, n: 50 }, { mean: x[1], sd: 0.5, n: 50 }];
  const params: FitParam[] = [{ path: 'x', low: 0, high: 1, integer: false }, { path: 'k', low: 1, high: 3, integer: true }];
  const c = calibrate(params, targets, simulate, { budget: 40, reps: 50 });
  assert.is(c.best.values[1], 2);
  assert.ok(Math.abs(c.best.values[0] - 0.37) < 0.005, String(c.best.values));
  assert.equal(c.profiles[1].points.map((p) => p.value), [1, 2, 3], 'k explored at the fitted x');
  assert.ok(Number.isInteger(c.profiles[1].low.value) && Number.isInteger(c.profiles[1].high.value));
});

test('a live value with a CI uses its standard error; one that never varies is reported but not fitted', () => {
  const targets: Target[] = [
    { metric: 'a', period: '10', replicas: 3, value: 1, n: 4, se: 0.2, source: 't', line: 2 },
    { metric: 'b', period: '10', replicas: 3, value: 360, n: 1, source: 't', line: 3 },
  ];
  const simulate = (x: readonly number[]): SimStat[] => [{ mean: x[0], sd: 1, n: 50 }, { mean: 300, sd: 0, n: 50 }];
  const c = calibrate([{ path: 'p', low: 0, high: 2, integer: false }], targets, simulate, { budget: 20, reps: 50 });
  assert.ok(Math.abs(c.residuals[0].scale - Math.sqrt(0.04 + 1 / 50)) < 1e-12);
  assert.equal([c.residuals[1].fitted, c.residuals[1].residual], [false, 60]);
  assert.ok(c.best.loss < 1e-6, 'the unfitted value adds nothing to the loss');
});

test('--fit takes numeric paths, distribution fields and integer settings, with messages for the rest', () => {
  assert.equal(fit('errorRate=0..0.02'), { path: 'noise.errorRate', low: 0, high: 0.02, integer: false });
  assert.equal(fit('cluster.endpointSliceDelay.max=0.1..3'), { path: 'cluster.endpointSliceDelay.max', low: 0.1, high: 3, integer: false });
  assert.equal(fit('ingress.tries=1..5'), { path: 'ingress.tries', low: 1, high: 5, integer: true });
  const message = (t: string) => (parseFit(t) as { message: string }).message;
  assert.match(message('noise.errRate=0..1'), /unknown setting "noise\.errRate".*did you mean noise\.errorRate/);
  assert.match(message('cluster.readiness=0..1'), /expected a numeric setting/);
  assert.match(message('noise.errorRate=0.02..0'), /expected LOW < HIGH/);
  assert.match(message('ingress.tries=1..2.5'), /integer bounds/);
  assert.match(message('noise.errorRate'), /expected PATH=LOW\.\.HIGH/);
});

test('a period "all" value needs the cells of every period it averages over', () => {
  const t = (period: string, replicas: number): Target => ({ metric: 'm', period, replicas, value: 0, n: 1, source: '', line: 1 });
  assert.equal(cellsOf([t('10', 3), t('all', 3), t('5', 5)], ['inf', '10', '1']), [
    { period: '10', replicas: 3 }, { period: 'inf', replicas: 3 }, { period: '1', replicas: 3 }, { period: '5', replicas: 5 },
  ]);
});

/**
 * Recovery: "live" results made by the simulator with known values
 * (noise.errorRate = 0.01, python weight 1.5, i.e. attack success 3/7) and
 * another seed, 200 runs; calibration with 60 replications must find them
 * within the stated tolerance, and the truth must lie within 3 of the
 * standard errors the fit itself reports (the loss <= min + 1 half-width).
 */
test('calibration recovers known parameter values from simulated live results (other seed)', () => {
  const dataset = ['workload.dataset.users=6', 'workload.dataset.tasksPerProject=30', 'workload.dataset.maliciousTasks=10'];
  const truth = { errorRate: 0.01, weight: 1.5 };
  const runs = new Cell(paper(...dataset, `noise.errorRate=${truth.errorRate}`, `cluster.implementations.0.weight=${truth.weight}`, 'seed=777')).runs(200);
  const target = (metric: string): Target => {
    const s = summarize(runs.map((r) => r.m[metric]));
    return { metric, period: '10', replicas: 3, value: s.mean, n: s.n, se: (s.ci_high - s.ci_low) / (2 * tQuantile(0.975, s.n - 1)), source: 'sim', line: 2 };
  };
  const targets = [target('failure_rate'), target('task_attack_success')];
  const params = [fit('noise.errorRate=0..0.03'), fit('cluster.implementations.0.weight=0.2..3')];
  const setup: SimSetup = { file: 'scenarios/paper.yaml', sets: [...dataset, 'seed=1'], params, targets, allPeriods: [], reps: 60 };
  const c = calibrate(params, targets, simulator(setup), { budget: 40, reps: 60 });
  const [errorRate, weight] = c.best.values;
  const tolerance = { errorRate: 0.0025, weight: 0.4 };
  assert.ok(Math.abs(errorRate - truth.errorRate) <= tolerance.errorRate, `errorRate ${errorRate}`);
  assert.ok(Math.abs(weight - truth.weight) <= tolerance.weight, `weight ${weight}`);
  c.profiles.forEach((p, i) => {
    const half = (p.high.value - p.low.value) / 2;
    const want = [truth.errorRate, truth.weight][i];
    assert.ok(half > 0 && half < [tolerance.errorRate, tolerance.weight][i], `${p.path}: half-width ${half} should be informative`);
    assert.ok(Math.abs(c.best.values[i] - want) <= 3 * half, `${p.path}: truth ${want} within 3 reported standard errors of ${c.best.values[i]} (+-${half})`);
  });
  assert.ok(c.best.loss < 4, `loss ${c.best.loss}`);
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
  assert.match(readFileSync(join(out, 'calibrated.yaml'), 'utf8'), /errorRate: [0-9.]+ # fitted in 0\.\.0\.1; loss <= min \+ 1 for \[/);
  const residuals = readFileSync(join(out, 'residuals.csv'), 'utf8').split('\n');
  assert.is(residuals[0], 'period,replicas,metric,live_value,sim_mean,sim_sd,sim_n,residual,scale,z,fitted,source');
  assert.match(residuals[2], /^all,3,failure_rate,0\.03,/);
  assert.ok(readFileSync(join(out, 'calibration.csv'), 'utf8').split('\n').length >= 9);

  const bad = sim('calibrate', scenario, '--live', live, '--fit', 'noise.errorRate=0..2');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--fit noise\.errorRate=0\.\.2 \(at 2\): noise\.errorRate: expected a number from 0 to 1, found 2/);
});

test.run();
