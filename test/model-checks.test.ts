/**
 * The checks of docs/model.md section 8, and section 1's summary of what the
 * model says with Kubernetes defaults, over enough replications of the
 * paper scenario to be meaningful. Every tolerance is a multiple (4) of a
 * standard error computed from the runs, plus, where docs/model.md states a
 * rounded number, half a unit of its last digit.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Cell, metric, paper, smallDataset, stats, type Run } from './helpers/sim.ts';

const Z = 4;
const periods = ['inf', 15, 10, 5, 3, 1] as const;
type Period = (typeof periods)[number];

/**
 * Replications per period: the per-run task attack_success has sd about
 * 0.27 at P = inf and under 0.2 with rotation, so these keep its standard
 * error near 0.01.
 */
const reps: Record<Period, number> = { inf: 720, 15: 400, 10: 400, 5: 400, 3: 400, 1: 400 };

/** The paper scenario with Kubernetes defaults at period P; computed once per period. */
const cache = new Map<Period, Run[]>();
function defaults(P: Period): Run[] {
  if (!cache.has(P)) cache.set(P, new Cell(paper(`diversifier.period=${P}`)).runs(reps[P]));
  return cache.get(P)!;
}

const within = (x: number, target: number, tol: number, what: string) =>
  assert.ok(Math.abs(x - target) <= tol, `${what}: ${x} is not within ${tol} of ${target}`);

test('8a: noise 0, readiness probe, sigterm ignore, R = 3, P = 10 s: zero failed requests in 100 runs', () => {
  const cell = new Cell(paper('noise.errorRate=0', 'cluster.readiness=probe', 'cluster.sigterm=ignore', 'cluster.replicas=3', 'diversifier.period=10'));
  const runs = cell.runs(100);
  const failing = runs.filter((r) => r.m.failed_requests > 0).map((r, i) => `rep ${i}: ${r.m.failed_requests}`);
  assert.equal(failing, []);
  // The check is not vacuous: pods are killed and replaced throughout.
  assert.ok(stats(metric(runs, 'kills_effective')).mean > 10);
});

test('8b: task attack_success converges to the vulnerable weight share 1/3 at every period', () => {
  for (const P of periods) {
    const s = stats(metric(defaults(P), 'task_attack_success'));
    assert.ok(s.se < 0.015, `P = ${P}: SE ${s.se} too large for a meaningful check`);
    within(s.mean, 1 / 3, Z * s.se, `P = ${P}: mean task attack_success (n = ${s.n})`);
  }
});

test('8b: the spread of per-run task attack_success shrinks as P shrinks (inf > 10 > 1)', () => {
  const sd = (P: Period) => stats(metric(defaults(P), 'task_attack_success'));
  const [inf, ten, one] = [sd('inf'), sd(10), sd(1)];
  const margin = (a: typeof inf, b: typeof inf) => Z * Math.hypot(a.seSd, b.seSd);
  assert.ok(inf.sd - ten.sd > margin(inf, ten), `sd at inf ${inf.sd} vs at 10 s ${ten.sd} (margin ${margin(inf, ten)})`);
  assert.ok(ten.sd - one.sd > margin(ten, one), `sd at 10 s ${ten.sd} vs at 1 s ${one.sd} (margin ${margin(ten, one)})`);
});

test('8c: P = inf, R = 3: a service has only vulnerable pods in about 1/27 of runs, and then every malicious insert succeeds', () => {
  const runs = defaults('inf');
  // At P = inf the list holds the R initial pods: the share is k/3 with k ~ Binomial(3, 1/3).
  const expected: Record<number, number> = { 0: 8 / 27, 1: 12 / 27, 2: 6 / 27, 3: 1 / 27 };
  const counts = [0, 0, 0, 0];
  const pairs = [['users', 'user'], ['projects', 'project'], ['tasks', 'task']] as const;
  for (const r of runs) {
    for (const [svc, type] of pairs) {
      const share = r.m[`vulnerable_share_${svc}`];
      const k = Math.round(share * 3);
      assert.ok(Math.abs(share - k / 3) < 1e-12, `vulnerable share ${share} is not k/3 at P = inf`);
      counts[k]++;
      // All vulnerable: no malicious insert of that service is rejected; none vulnerable: none passes.
      if (k === 3) assert.is(r.m[`${type}_rejected`], 0, `${svc} all vulnerable but a ${type} was rejected`);
      if (k === 3 && r.m[`${type}_inserted_malicious`] > 0) assert.is(r.m[`${type}_attack_success`], 1);
      if (k === 0) assert.is(r.m[`${type}_inserted_malicious`], 0, `${svc} all safe but a malicious ${type} got in`);
    }
  }
  const n = runs.length * pairs.length;
  for (const k of [0, 1, 2, 3]) {
    const p = expected[k];
    within(counts[k] / n, p, Z * Math.sqrt((p * (1 - p)) / n), `share of services with ${k} of 3 pods vulnerable`);
  }
  // The all-vulnerable services must occur, or the per-run check above tested nothing.
  assert.ok(counts[3] > 0);
});

test('8d: defaults: failure_rate at P = 1 s exceeds that at 3 s and stays below 5 %; most picks are ignored kills', () => {
  const one = stats(metric(defaults(1), 'failure_rate'));
  const three = stats(metric(defaults(3), 'failure_rate'));
  assert.ok(one.mean - three.mean > Z * Math.hypot(one.se, three.se), `failure rate at 1 s ${one.mean}, at 3 s ${three.mean}`);
  assert.ok(one.mean + Z * one.se < 0.05, `failure rate at 1 s ${one.mean}`);
  assert.ok(defaults(1).every((r) => r.m.failure_rate < 0.05), 'some run at 1 s fails 5 % of its requests');
  const ignored = stats(defaults(1).map((r) => r.m.kills_ignored / (r.m.kills_ignored + r.m.kills_effective)));
  assert.ok(ignored.mean - Z * ignored.se > 0.5, `ignored share of picks at 1 s: ${ignored.mean}`);
});

test('section 1: with defaults the task malicious share is about 3.6 % at every period', () => {
  // "about 3.6 %": within half a unit of the last digit (0.05 points), plus the statistical error.
  for (const P of periods) {
    const s = stats(metric(defaults(P), 'task_malicious_share'));
    within(s.mean, 0.036, 0.0005 + Z * s.se, `P = ${P}: mean task malicious share`);
  }
});

test('section 1: with defaults failures are 0 for P >= 3 s and about 0.2 % at 1 s', () => {
  for (const P of ['inf', 15, 10, 5] as const) {
    assert.equal(defaults(P).filter((r) => r.m.failed_requests > 0).length, 0, `runs with failures at P = ${P}`);
  }
  // At 3 s a failure is possible but rare (e.g. two of three listed pods not listening yet, and the other
  // thread's try takes the listening pod's round-robin turn): "0" holds to the precision of section 1,
  // under 0.05 % (0.0 % rounded).
  const three = stats(metric(defaults(3), 'failure_rate'));
  assert.ok(three.mean + Z * three.se < 0.0005, `failure rate at 3 s: ${three.mean}`);
  const one = stats(metric(defaults(1), 'failure_rate'));
  within(one.mean, 0.002, 0.0005 + Z * one.se, 'failure rate at 1 s');
});

test('section 4: noise fails each accepted request independently with probability errorRate', () => {
  // At P = inf every try is accepted, so failures are Binomial(requests, errorRate).
  const rate = 0.05;
  const runs = new Cell(paper(...smallDataset, 'diversifier.period=inf', `noise.errorRate=${rate}`)).runs(20);
  const requests = runs.reduce((a, r) => a + r.m.requests, 0);
  const failed = runs.reduce((a, r) => a + r.m.failed_noise, 0);
  assert.is(runs.reduce((a, r) => a + r.m.failed_requests, 0), failed, 'only noise fails at P = inf');
  assert.is(runs.reduce((a, r) => a + r.m.tries_refused + r.m.tries_timed_out, 0), 0);
  within(failed / requests, rate, Z * Math.sqrt((rate * (1 - rate)) / requests), 'noise failure rate');
});

test('sections 3-4: a request through the ingress takes four hops plus its service time, lognormal(0.02, 0.01)', () => {
  const run = new Cell(paper(...smallDataset, 'diversifier.period=inf')).run(0, { trace: true });
  // Two threads never fill a pod's 8 slots: no request waits, so end - sent - 4 hops is its service time.
  const service = run.trace!.requests.map((q) => q.end - q.sent - 4 * 0.001);
  assert.ok(service.every((x) => x > 0));
  const s = stats(service);
  const [m, sd] = [0.02, 0.01];
  within(s.mean, m, Z * (sd / Math.sqrt(s.n)), 'mean service time');
  // SE of the sd of a lognormal: from its fourth central moment.
  const sigma2 = Math.log(1 + (sd * sd) / (m * m));
  const raw = (k: number) => Math.exp(k * (Math.log(m) - sigma2 / 2) + (k * k * sigma2) / 2);
  const mu4 = raw(4) - 4 * raw(1) * raw(3) + 6 * raw(1) ** 2 * raw(2) - 3 * raw(1) ** 4;
  within(s.sd, sd, (Z * Math.sqrt((mu4 - sd ** 4) / s.n)) / (2 * sd), 'sd of service time');
});

test.run();
