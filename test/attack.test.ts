/**
 * Attackers (README "Attackers"): the analytic checks of issue 15 over many
 * replications, each tolerance a multiple Z of the standard error of the
 * estimate (99.9 % two-sided), never tuned; the pure metric functions; and
 * that the default attack list changes no output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attackCellEstimates, kaplanMeier, kmMedian, restrictedMean, wilson } from '../src/metrics/attack.ts';
import { metricNames } from '../src/schema/metric-names.ts';
import { UserError } from '../src/util/errors.ts';
import { parseScenario } from '../src/scenario/load.ts';
import { runMain } from './helpers/in-process.ts';
import { Cell, metric, paper, smallDataset } from './helpers/sim.ts';

const Z = 3.29;

/** A cluster with no workload and the given attacker, `--set` style overrides after. */
function attackOnly(attacker: string, ...sets: string[]): Cell {
  // The file must hold by itself (a horizon for its attacker); the sets then override it.
  const text = `name: attack-test\nseed: 7\nhorizon: 1\nworkload: {threads: 0}\nattack:\n  - ${attacker}\n`;
  return new Cell(parseScenario(text, 'attack-test.yaml', sets));
}

const onlyVulnerable = 'cluster.implementations=[{name: python, weight: 1, vulnerable: true}]';

function proportion(runs: { m: Record<string, number> }[], column: string): { p: number; n: number } {
  const xs = metric(runs as never, column);
  return { p: xs.reduce((a, b) => a + b, 0) / xs.length, n: xs.length };
}

const near = (p: number, n: number, target: number, what: string) => {
  const tol = Z * Math.sqrt((target * (1 - target)) / n);
  assert.ok(Math.abs(p - target) <= tol, `${what}: ${p} is not within ${tol} of ${target} (n = ${n})`);
};

test('persistent, P = inf, R = 3, weights 1:1:1: P(compromise) = 1 - (2/3)^3 = 19/27; runs with no vulnerable pod are censored', () => {
  const runs = attackOnly('{kind: persistent, interval: 1}', 'diversifier.period=inf', 'horizon=20').runs(1000);
  const { p, n } = proportion(runs, 'attack_persistent_compromised');
  near(p, n, 19 / 27, 'P(compromise)');
  for (const r of runs) {
    const c = r.m.attack_persistent_compromised;
    assert.is(Number.isNaN(r.m.attack_persistent_time), c === 0, 'a censored run has no time to compromise');
    if (c === 1) assert.ok(r.m.attack_persistent_time <= 20);
  }
});

test('persistent with rotation and a long horizon: compromised in every run, and the recommendation says rotation hurts', async () => {
  const runs = attackOnly('{kind: persistent, interval: 1}', 'diversifier.period=5', 'horizon=300').runs(100);
  // No vulnerable pod among the 3 + 60 pods of a run has probability (2/3)^63 < 1e-11.
  assert.is(proportion(runs, 'attack_persistent_compromised').p, 1);
  const dir = mkdtempSync(join(tmpdir(), 'attack-rec-'));
  try {
    const file = join(dir, 'persistent.yaml');
    writeFileSync(file, 'name: p\nseed: 7\nreps: 40\nhorizon: 300\nworkload: {threads: 0}\nsweep: {vary: {diversifier.period: [inf, 5]}}\nattack: [{kind: persistent}]\n');
    const r = await runMain(['sweep', file, '--out', join(dir, 'out'), '--workers', '1', '--no-plots']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Recommendation \(--max-risk 5\.0 %, --max-failure 2\.0 %/m);
    assert.match(r.stdout, /rotation raises P\(compromised within 300 s\) from \d+ % without rotation to 100 % at P = 5 s .*: against this attacker rotation hurts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('persistent, random balancer, P = inf: attempts are geometric with mean R/V given V vulnerable pods', () => {
  const cell = attackOnly('{kind: persistent, interval: 1}', 'diversifier.period=inf', 'horizon=200', 'ingress.policy=random');
  const byV = new Map<number, number[]>();
  for (let rep = 0; rep < 900; rep++) {
    const r = cell.run(rep, { trace: true });
    const v = r.trace!.pods.filter((p) => p.service === 'users' && p.implementation.vulnerable).length;
    if (v > 0) byV.set(v, [...(byV.get(v) ?? []), r.m.attack_persistent_attempts]);
  }
  for (const [v, xs] of byV) {
    if (xs.length < 30) continue;
    const p = v / 3;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const tol = (Z * Math.sqrt((1 - p) / (p * p))) / Math.sqrt(xs.length);
    assert.ok(Math.abs(mean - 1 / p) <= tol, `V = ${v}: mean attempts ${mean} not within ${tol} of ${1 / p} (n = ${xs.length})`);
  }
  assert.ok([1, 2].every((v) => (byV.get(v)?.length ?? 0) >= 30), 'enough runs with V = 1 and V = 2');
});

// One exploit per run (a long interval) at t0 + 5 s, between the ticks at t0 + 10 k; every pod vulnerable, so it always hits.
const oneExploit = '{kind: foothold, start: 5, interval: 100000, exploitTime: 30}';

test('foothold, select ready, sigterm exit, E = 3 P: the install survives with probability (1 - 1/R)^(E/P) = 8/27', () => {
  const runs = attackOnly(oneExploit, onlyVulnerable, 'diversifier.period=10', 'diversifier.select=ready', 'cluster.sigterm=exit', 'horizon=40').runs(1000);
  const { p, n } = proportion(runs, 'attack_foothold_compromised');
  near(p, n, 8 / 27, 'P(foothold)');
  assert.ok(runs.every((r) => r.m.attack_foothold_attempts === 1));
});

test('foothold, select oldest, E longer than R ticks: never survives', () => {
  const attacker = oneExploit.replace('exploitTime: 30', 'exploitTime: 35');
  const runs = attackOnly(attacker, onlyVulnerable, 'diversifier.period=10', 'diversifier.select=oldest', 'cluster.sigterm=exit', 'horizon=45').runs(200);
  assert.is(proportion(runs, 'attack_foothold_compromised').p, 0);
});

test('foothold, sigterm ignore (the default), E at most the 30 s grace: always survives rotation, even at P = 2 s', () => {
  // The exploit lands before the first deletion (t0 + 2), so its pod is deleted after it and serves 30 s more.
  const runs = attackOnly(oneExploit.replace('start: 5', 'start: 1'), onlyVulnerable, 'diversifier.period=2', 'horizon=40').runs(200);
  assert.is(proportion(runs, 'attack_foothold_compromised').p, 1);
  assert.ok(runs.every((r) => r.m.attack_foothold_foothold_seconds > 0));
});

test('lateral, sigterm exit: P(chain compromise) does not decrease as the period grows (at the CI level)', () => {
  const periods = [2, 5, 15, 40];
  const est = periods.map((P) => {
    const runs = attackOnly('{kind: lateral, exploitTime: 10}', `diversifier.period=${P}`, 'cluster.sigterm=exit', 'horizon=240').runs(150);
    return proportion(runs, 'attack_lateral_compromised');
  });
  for (let i = 0; i < est.length; i++) {
    for (let j = i + 1; j < est.length; j++) {
      const [a, b] = [est[i], est[j]];
      const se = Math.sqrt((a.p * (1 - a.p)) / a.n + (b.p * (1 - b.p)) / b.n);
      assert.ok(a.p - b.p <= Z * se, `P = ${periods[i]}: ${a.p} exceeds P = ${periods[j]}: ${b.p} by more than ${Z * se}`);
    }
  }
  assert.ok(est[est.length - 1].p - est[0].p > 0.2, `the check is not vacuous: ${est.map((e) => e.p).join(', ')}`);
});

test('the default attack list [{kind: pseudo}] adds no column and changes no value or fingerprint', () => {
  const plain = new Cell(paper(...smallDataset));
  const explicit = new Cell(paper(...smallDataset, 'attack=[{kind: pseudo}]'));
  assert.equal(explicit.names, metricNames(['users', 'projects', 'tasks']));
  for (let rep = 0; rep < 5; rep++) {
    const [a, b] = [plain.run(rep), explicit.run(rep)];
    assert.is(b.fingerprint, a.fingerprint);
    assert.equal(b.metrics, a.metrics);
  }
});

test('an attacker alongside the paper workload: the workload still completes, the run lasts until the horizon', () => {
  const cell = new Cell(paper(...smallDataset, 'attack=[{kind: lateral}]', 'horizon=600'));
  const r = cell.run(0);
  assert.ok(r.m.end_time < r.m.t0 + 600, 'the workload ended before the horizon');
  assert.is(r.m.attack_lateral_horizon, 600);
  assert.ok(r.m.attack_lateral_attempts > 0);
  assert.is(r.m.kills_effective + r.m.kills_ignored, 3 * 60, 'each diversifier ticked every 10 s until the horizon');
});

test('bad attack lists are user errors naming the field', () => {
  const bad = (sets: string[], pattern: RegExp) => {
    try {
      parseScenario('name: x\n', 'x.yaml', sets);
      assert.unreachable('expected a UserError');
    } catch (e) {
      assert.instance(e, UserError);
      assert.match((e as Error).message, pattern);
    }
  };
  bad(['attack=[{kind: persistent}]'], /horizon.*expected a horizon > 0/);
  bad(['attack=[{kind: persistent}, {kind: persistent}]', 'horizon=10'], /attack\[1\]\.name.*unique attacker name/);
  bad(['attack=[{kind: persistent, target: nope}]', 'horizon=10'], /attack\[0\]\.target.*expected one of the services/);
  bad(['attack=[{kind: lateral, chain: [users, nope]}]', 'horizon=10'], /attack\[0\]\.chain\[1\]/);
});

test('Wilson interval: known values and exact ends', () => {
  const w = wilson(7, 10);
  assert.ok(Math.abs(w.low - 0.3968) < 1e-4 && Math.abs(w.high - 0.8922) < 1e-4, JSON.stringify(w));
  assert.equal([wilson(0, 20).low, wilson(20, 20).high], [0, 1]);
  assert.ok(Number.isNaN(wilson(0, 0).value));
});

test('Kaplan-Meier, median and restricted mean: a hand-computed example', () => {
  // Times 1, 2, 2, 4 and two runs censored at the horizon 5.
  const times = [1, 2, NaN, 2, 4, NaN];
  const h = times.map(() => 5);
  const km = kaplanMeier(times, h);
  assert.equal(km.map((s) => s.time), [0, 1, 2, 4]);
  const expected = [1, 5 / 6, 0.5, 1 / 3];
  km.forEach((s, i) => assert.ok(Math.abs(s.survival - expected[i]) < 1e-12, `S(${s.time}) = ${s.survival}`));
  assert.is(kmMedian(km).value, 2);
  // With censoring only at the horizon the restricted mean is the mean of min(T, h).
  const rm = restrictedMean(km, 5);
  assert.ok(Math.abs(rm.value - (1 + 2 + 5 + 2 + 4 + 5) / 6) < 1e-12, String(rm.value));
  assert.ok(rm.low < rm.value && rm.value < rm.high);
  const [p, median] = attackCellEstimates([1, 1, 0, 1, 1, 0], times, h);
  assert.is(p.value, 4 / 6);
  assert.is(median.value, 2);
  // No curve below 1/2: no median.
  assert.ok(Number.isNaN(kmMedian(kaplanMeier([1, NaN, NaN], [5, 5, 5])).value));
});

test.run();
