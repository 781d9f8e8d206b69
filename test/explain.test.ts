/** The ranking of `sim calibrate --explain` (src/experiment/explain.ts), on fits given as numbers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFit } from '../src/experiment/calibrate-sim.ts';
import type { FitParam, Target } from '../src/experiment/calibrate.ts';
import { runExplain } from '../src/experiment/explain-run.ts';
import { parseScenario } from '../src/scenario/load.ts';
import { readFileSync } from 'node:fs';
import { Cell, metric, stats } from './helpers/sim.ts';
import { candidateSets, explain, type CandidateFit, type CurvePoint } from '../src/experiment/explain.ts';

const curve: CurvePoint[] = [
  { metric: 'failure_rate', period: '10', replicas: 3, live: 0.002 },
  { metric: 'failure_rate', period: '1', replicas: 3 },
  { metric: 'failure_rate', period: 'inf', replicas: 3 },
];

const fit = (name: string, k: number, loss: number, curveMeans: number[], se = 0.0001): CandidateFit => ({
  name, k, loss, dof: 6 - k, pValue: NaN, fitted: [], curve: curveMeans.map((mean) => ({ mean, se })),
});

test('candidates are ranked by loss + 2 per parameter: a pair must lower the loss by more than 2 to beat a single', () => {
  const e = explain([fit('noise', 1, 5, [0.002, 0.002, 0.002]), fit('noise + tries', 2, 3.5, [0.002, 0.003, 0.002]), fit('tries', 1, 20, [0, 0.01, 0])], curve);
  assert.equal(e.ranked.map((f) => f.name), ['noise', 'noise + tries', 'tries']);
  assert.equal(e.ranked.map((f) => f.delta), [0, 0.5, 15]);
  const w = e.ranked.map((f) => f.weight);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(Math.abs(w[1] / w[0] - Math.exp(-0.25)) < 1e-12, 'Akaike weights: exp(-delta / 2), normalized');
});

test('candidates within AIC 2 of the best are not told apart; the measurement that separates them is where their curves differ most', () => {
  const e = explain([fit('noise', 1, 5, [0.002, 0.002, 0.002]), fit('readiness', 1, 5.5, [0.002, 0.02, 0.0]), fit('policy', 1, 9, [0.002, 0.002, 0.002])], curve);
  assert.equal(e.indistinguishable, ['noise', 'readiness']);
  assert.is(e.separations.length, 1);
  const s = e.separations[0];
  assert.is(s.candidate, 'readiness');
  assert.is(s.point.period, '1', 'noise predicts the same failures at every period, readiness far more at 1 s');
  assert.ok(Math.abs(s.z - 0.018 / Math.hypot(0.0001, 0.0001)) < 1e-6);
});

test('an impossible candidate (infinite loss) ranks last with weight 0', () => {
  const e = explain([fit('a', 1, Infinity, [0, 0, 0]), fit('b', 1, 4, [0, 0, 0])], curve);
  assert.equal(e.ranked.map((f) => f.name), ['b', 'a']);
  assert.is(e.ranked[1].weight, 0);
});

test('candidate sets: each alone, then every pair', () => {
  assert.equal(candidateSets(['a', 'b', 'c']), [['a'], ['b'], ['c'], ['a', 'b'], ['a', 'c'], ['b', 'c']]);
});

test('explain on simulated live values: the mechanism that made them wins, one that cannot produce them is told apart', () => {
  // "Live" failures per swap and failure rate from the model itself with a kubelet delay of 0.6 s (other replications than the fits use).
  const file = 'test/fixtures/explain-web.yaml';
  const truth = new Cell(parseScenario(readFileSync(file, 'utf8'), file, ['cluster.terminationDelay=0.6'])).runs(8, 100);
  const live = (m: string): Target => {
    const s = stats(metric(truth, m));
    return { metric: m, period: '3', replicas: 1, value: s.mean, se: s.se, n: 8, source: 'model', line: 1 };
  };
  const param = (token: string) => parseFit(token) as FitParam;
  const r = runExplain({
    file, sets: [], targets: [live('failures_per_rotation'), live('failure_rate')], allPeriods: [], reps: 4, budget: 6,
    candidates: [param('cluster.terminationDelay=0..2'), param('noise.errorRate=0..0.2')], curvePeriods: ['10'],
  });
  assert.is(r.ranked.length, 3);
  // Noise only adds failures: it cannot lower them to the live level.
  assert.ok(r.ranked[0].name.startsWith('cluster.terminationDelay'), r.ranked.map((f) => f.name).join(', '));
  const noise = r.ranked.find((f) => f.name === 'noise.errorRate')!;
  assert.ok(noise.delta > 2 && !r.indistinguishable.includes('noise.errorRate'), `noise delta ${noise.delta}`);
  // The 95 % interval holds the truth, up to the search grid's spacing (budget 6 over 0..2: about 0.25).
  const td = r.ranked.find((f) => f.name === 'cluster.terminationDelay')!.fitted[0];
  assert.ok(td.low <= 0.6 + 0.25 && td.high >= 0.6 - 0.25, `fitted ${td.value} [${td.low}, ${td.high}]`);
  // The curve holds each metric at the given period and at the live one.
  assert.equal(r.curve.map((p) => `${p.metric}@${p.period}`), ['failures_per_rotation@10', 'failures_per_rotation@3', 'failure_rate@10', 'failure_rate@3']);
});

test.run();
