/**
 * Users' own clusters (README "Your own cluster"): the clients and arrivals
 * workloads, the LoadBalancer entry path and the surge and rollout rotation
 * strategies, each checked against its definition. Tolerances are 4
 * standard errors of the replications' mean.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Cluster } from '../src/cluster/cluster.ts';
import type { Request } from '../src/cluster/request.ts';
import type { Simulation } from '../src/engine/simulation.ts';
import { parseScenario } from '../src/scenario/load.ts';
import { UserError } from '../src/util/errors.ts';
import type { TrafficCall } from '../src/workload/traffic.ts';
import { Cell, metric, stats } from './helpers/sim.ts';

const Z = 4;

/** One web service `web` with these YAML lines (flow-style mappings) and --set overrides. */
function web(yaml: string, ...sets: string[]) {
  const cluster = yaml.includes('cluster:') ? '' : 'cluster: { implementations: [{ name: web }] }\n';
  const text = `name: web\nseed: 7\nservices:\n  web: {}\n${cluster}${yaml}`;
  return new Cell(parseScenario(text, 'web.yaml', sets));
}

const requestsOf = (run: { trace?: { requests: readonly unknown[] } }) => run.trace!.requests as readonly Request<TrafficCall>[];

test('closed-loop clients: each thread sends one request at a time, thinks between them, and every request has one outcome', () => {
  const cell = web('workload: { kind: clients, duration: 60, timeout: 2, clients: { threads: 3, think: 0.5 } }\ndiversifier: { period: 5 }');
  const run = cell.run(0, { trace: true });
  const reqs = requestsOf(run);
  assert.is(run.m.requests, reqs.length);
  const t0 = run.m.t0;
  for (let th = 0; th < 3; th++) {
    const mine = reqs.filter((q) => q.payload.thread === th);
    assert.ok(mine.length > 50, `thread ${th} sent ${mine.length}`);
    for (let i = 1; i < mine.length; i++) {
      // The next request leaves exactly `think` after the previous one's outcome.
      assert.ok(Math.abs(mine[i].sent - (mine[i - 1].end + 0.5)) < 1e-9, `thread ${th} request ${i}`);
    }
    assert.ok(mine.every((q) => q.sent < t0 + 60), 'nothing is sent after the duration');
  }
  for (const q of reqs) {
    assert.ok(q.payload.done && q.end >= q.sent, `request ${q.id} has an outcome`);
    assert.ok(q.end - q.sent <= 2 + 1e-9, `request ${q.id} waited ${q.end - q.sent} s, more than its timeout`);
  }
  const failed = reqs.filter((q) => q.status >= 500 || q.cause === 'client_timeout').length;
  assert.is(run.m.failed_requests, failed);
  assert.ok(run.m.end_time >= t0 + 60 && run.m.end_time <= t0 + 62.5, `end ${run.m.end_time}`);
  assert.ok(run.m.latency_p50 > 0 && run.m.latency_p50 <= run.m.latency_p95 && run.m.latency_p95 <= run.m.latency_p99);
});

test('a client timeout shorter than any response: every request times out, and the late answers change nothing', () => {
  const run = web('workload: { kind: clients, duration: 30, timeout: 0.003, clients: { threads: 2, think: 0.1 } }\ndiversifier: { period: inf }').run(0, { trace: true });
  const reqs = requestsOf(run);
  assert.ok(reqs.length > 100);
  assert.is(run.m.failed_client_timeout, reqs.length);
  assert.is(run.m.failed_requests, reqs.length);
  for (const q of reqs) {
    assert.is(q.cause, 'client_timeout');
    assert.is(q.status, 0);
    assert.ok(Math.abs(q.end - q.sent - 0.003) < 1e-9, `request ${q.id} ended ${q.end - q.sent} s after sending`);
  }
  assert.ok(Number.isNaN(run.m.latency_p50), 'no successful request, no latency');
});

test('open-loop arrivals: a constant rate sends rate x duration requests; a Poisson one as many on average', () => {
  const constant = web('workload: { kind: arrivals, duration: 100, arrivals: { rate: 7, process: constant } }\ndiversifier: { period: inf }').run(0);
  assert.is(constant.m.requests, 700);
  assert.is(constant.m.failed_requests, 0);
  const runs = web('workload: { kind: arrivals, duration: 100, arrivals: { rate: 7 } }\ndiversifier: { period: inf }').runs(30);
  const s = stats(metric(runs, 'requests'));
  assert.ok(Math.abs(s.mean - 700) <= Z * s.se, `mean ${s.mean} (se ${s.se})`);
  // A Poisson count has variance equal to its mean.
  assert.ok(Math.abs(s.sd - Math.sqrt(700)) <= Z * s.seSd, `sd ${s.sd} (se ${s.seSd})`);
});

test('the request mix is drawn by weight', () => {
  const text = `name: mix\nseed: 3\nservices: { a: {}, b: {} }\ndiversifier: { period: inf }\n` +
    'workload: { kind: arrivals, duration: 200, arrivals: { rate: 10 }, requests: [{ service: a, weight: 3 }, { service: b, weight: 1, via: clusterIP }] }';
  const run = new Cell(parseScenario(text, 'mix.yaml')).run(0, { trace: true });
  const reqs = requestsOf(run);
  const toB = reqs.filter((q) => q.service === 1);
  assert.ok(toB.every((q) => q.via === 'clusterIP'));
  const p = toB.length / reqs.length;
  const se = Math.sqrt((0.25 * 0.75) / reqs.length);
  assert.ok(Math.abs(p - 0.25) <= Z * se, `share of b ${p}`);
});

/**
 * One replica behind a LoadBalancer, rotated by surge with a long settle, so
 * that at each deletion the new pod listens and is in kube-proxy's view: the
 * two share the picks. The new pod listens as soon as it runs (Ready without
 * a probe), so it refuses nothing. The old pod exits on SIGTERM at its deletion and stays
 * in the view for endpointSliceDelay + proxy.syncDelay (means 0.275 s and
 * 0.5 s); every request picked for it then fails, and so do those it holds
 * at its exit.
 */
const surgeLB = (sigterm: string, more = '') =>
  web(
    `cluster: { implementations: [{ name: web }], replicas: 1, sigterm: ${sigterm}, startup: 0.5, containerStart: 0.5${more} }\n` +
      'diversifier: { strategy: surge, waitFor: running, pollInterval: 0.5, settle: 4, period: 5 }\n' +
      'workload: { kind: arrivals, duration: 600, timeout: 5, arrivals: { rate: 20 }, requests: [{ service: web, via: loadBalancer }] }',
  );

test('LoadBalancer, sigterm exit, one replica: failures per swap = rate x time the dead pod stays in kube-proxy\'s view x its share of picks', () => {
  const runs = surgeLB('exit').runs(12);
  const s = stats(metric(runs, 'failures_per_rotation'));
  // rate 20/s, share 1/2, in view 0.275 + 0.5 s after its exit, plus the requests it was serving (mean service 0.02 s).
  const expected = 20 * 0.5 * (0.275 + 0.5 + 0.02);
  assert.ok(Math.abs(s.mean - expected) <= Z * s.se, `failures per swap ${s.mean} (se ${s.se}), expected ${expected}`);
  // Every request has one outcome, the ones sent to a gone pod by the client's own timeout.
  const traced = surgeLB('exit').run(0, { trace: true });
  const reqs = requestsOf(traced);
  assert.is(traced.m.requests, reqs.length);
  assert.ok(reqs.every((q) => q.payload.done && q.end - q.sent <= 5 + 1e-9));
  assert.is(reqs.filter((q) => q.cause === 'client_timeout').length, traced.m.failed_client_timeout);
  assert.ok(reqs.filter((q) => q.cause === 'client_timeout').every((q) => q.pod !== null && q.pod.gone <= q.sent + 0.002));
  // An outside client sees no HTTP status: its own timeout (the pod is gone) or a reset (killed in flight).
  for (const r of runs) {
    assert.is(r.m.failed_client_timeout + r.m.failed_reset + r.m.failed_refused, r.m.failed_requests);
    assert.is(r.m.failed_status_502 + r.m.failed_status_503 + r.m.failed_status_504, 0);
  }
});

test('LoadBalancer, a pod that serves through its grace period: no failures', () => {
  const runs = surgeLB('ignore').runs(3);
  for (const r of runs) {
    assert.ok(r.m.rotations > 50);
    assert.is(r.m.failed_requests, 0);
  }
});

test('LoadBalancer: a new pod Ready before it listens (no readiness probe) refuses the connections kube-proxy sends it', () => {
  const runs = web(
    'cluster: { implementations: [{ name: web }], replicas: 1, sigterm: ignore, startup: 3, containerStart: 0.5 }\n' +
      'diversifier: { strategy: surge, waitFor: running, pollInterval: 0.5, settle: 0.5, period: 10 }\n' +
      'workload: { kind: arrivals, duration: 300, arrivals: { rate: 20 }, requests: [{ service: web, via: loadBalancer }] }',
  ).runs(3);
  for (const r of runs) {
    assert.ok(r.m.failed_refused > 0);
    assert.is(r.m.failed_refused, r.m.failed_requests);
  }
});

/** E[max(0, X - d)] for X = U(0.05, 0.5) + U(0, 1) (slice delay + kube-proxy delay), by the midpoint rule. */
function meanExcess(d: number): number {
  const n = 2000;
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j += 10) sum += Math.max(0, 0.05 + (0.45 * (i + 0.5)) / n + (j + 5) / n - d);
  return sum / (n * (n / 10));
}

test('terminationDelay: the dying pod keeps listening until the kubelet acts, so only the part of its time in view past that fails', () => {
  const d = 0.5;
  const runs = surgeLB('exit', `, terminationDelay: ${d}`).runs(12);
  const s = stats(metric(runs, 'failures_per_rotation'));
  const expected = 20 * 0.5 * (meanExcess(d) + 0.02);
  assert.ok(Math.abs(s.mean - expected) <= Z * s.se, `failures per swap ${s.mean} (se ${s.se}), expected ${expected}`);
});

test('a preStop sleep longer than the whole propagation chain (slice 0.5 s + kube-proxy 1 s at most): no failures with exit', () => {
  const runs = surgeLB('exit', ', preStop: 1.6').runs(3);
  for (const r of runs) {
    assert.ok(r.m.rotations > 50);
    assert.is(r.m.failed_requests, 0);
  }
});

test('the kubelet\'s side: SIGTERM after terminationDelay + preStop, the grace counted from the kubelet, at least 2 s after a long hook', () => {
  const timeline = (cluster: string) => {
    const run = web(`cluster: { implementations: [{ name: web }], replicas: 2, ${cluster} }\ndiversifier: { period: 4 }\nworkload: { kind: clients, duration: 120 }`).run(0, { trace: true });
    return run.trace!.pods.filter((p) => p.terminating);
  };
  for (const p of timeline('sigterm: exit, shutdownDelay: 1, terminationDelay: 0.3, preStop: 2')) {
    assert.ok(Math.abs(p.signalled - (p.deleted + 2.3)) < 1e-9, `pod ${p.id} SIGTERM`);
    assert.is(p.closed, p.gone, 'exit listens until it exits');
    assert.ok(Math.abs(p.gone - (p.signalled + 1)) < 1e-9, 'exit after shutdownDelay');
  }
  for (const p of timeline('sigterm: ignore, grace: 10, terminationDelay: 0.3, preStop: 2')) {
    assert.ok(Math.abs(p.gone - (p.deleted + 0.3 + 10)) < 1e-9, 'SIGKILL at the end of the grace period, counted from the kubelet');
    assert.is(p.closed, p.gone, 'ignore listens until it is gone');
  }
  for (const p of timeline('sigterm: ignore, grace: 3, preStop: 5')) {
    assert.ok(Math.abs(p.signalled - (p.deleted + 3)) < 1e-9, 'the hook is cut at the grace');
    assert.ok(Math.abs(p.gone - (p.deleted + 5)) < 1e-9, 'then 2 s more before SIGKILL');
  }
});

/** Checks after every event that pods outside the ReplicaSet's count never count as replicas. */
function countWatcher(R: number, maxExtra: number) {
  const seen = { maxOutside: 0, maxAlive: 0, violations: [] as string[] };
  const afterEvent = (cluster: Cluster, sim: Simulation) => {
    for (const d of cluster.deployments) {
      const alive = d.pods.filter((p) => !p.terminating).length;
      const counted = d.replicaCount();
      seen.maxOutside = Math.max(seen.maxOutside, d.outside.size);
      seen.maxAlive = Math.max(seen.maxAlive, alive);
      if (counted > R) seen.violations.push(`t=${sim.now}: ${counted} counted replicas`);
      if (counted + d.outside.size !== alive && [...d.outside].every((p) => !p.terminating)) seen.violations.push(`t=${sim.now}: count mismatch`);
      if (alive > R + maxExtra) seen.violations.push(`t=${sim.now}: ${alive} pods not Terminating`);
    }
  };
  return { seen, afterEvent };
}

test('surge: the new pod stays outside the ReplicaSet count until its victim is deleted, then takes its place', () => {
  const cell = web(
    'cluster: { implementations: [{ name: web }], replicas: 2 }\n' +
      'diversifier: { strategy: surge, waitFor: ready, settle: 1, period: 3, from: start }\n' +
      'workload: { kind: clients, duration: 120 }',
  );
  const w = countWatcher(2, 1);
  const run = cell.run(1, { trace: true, afterEvent: w.afterEvent });
  assert.equal(w.seen.violations, []);
  assert.is(w.seen.maxOutside, 1);
  const unfinished = run.m.pods_created - 2 - run.m.rotations; // a swap may be under way at the end
  assert.ok(unfinished === 0 || unfinished === 1, `${run.m.pods_created} pods created`);
  assert.is(run.m.kills_effective, run.m.rotations);
  // Each swap lasts at least until the new pod is Ready, plus settle.
  assert.ok(run.m.swap_duration >= 1 + 0.5);
});

test('surge: a new pod that is not up within the timeout is deleted and the swap abandoned', () => {
  const run = web(
    'cluster: { implementations: [{ name: web }], replicas: 1, readiness: probe, probePeriod: 10, initialDelay: 20 }\n' +
      'diversifier: { strategy: surge, waitFor: ready, pollInterval: 1, timeout: 5, period: 10 }\n' +
      'workload: { kind: clients, duration: 200 }',
  ).run(0);
  assert.is(run.m.rotations, 0);
  assert.is(run.m.kills_effective, 0);
  assert.ok(run.m.swaps_abandoned >= 12, `${run.m.swaps_abandoned} abandoned`);
  const underWay = run.m.pods_created - 1 - run.m.swaps_abandoned; // the last swap may be under way at the end
  assert.ok(underWay === 0 || underWay === 1, `${run.m.pods_created} pods created`);
});

test('rollout: maxSurge 1, maxUnavailable 0 keeps R available pods and at most R + 1, and replaces every pod', () => {
  const cell = web(
    'cluster: { implementations: [{ name: web }], replicas: 4, readiness: probe, probePeriod: 1 }\n' +
      'diversifier: { strategy: rollout, maxSurge: 1, maxUnavailable: 0, minReadySeconds: 2, period: 60, from: start }\n' +
      'workload: { kind: arrivals, duration: 300, arrivals: { rate: 5 } }',
  );
  const w = countWatcher(5, 1);
  let minAvailable = Infinity;
  const run = cell.run(0, {
    afterEvent: (c, sim) => {
      w.afterEvent(c, sim);
      if (Number.isNaN(c.t0)) return;
      minAvailable = Math.min(minAvailable, c.deployments[0].pods.filter((p) => !p.terminating && p.ready <= sim.now).length);
    },
  });
  assert.equal(w.seen.violations, []);
  assert.is(w.seen.maxAlive, 5);
  assert.is(minAvailable, 4);
  assert.is(run.m.rotations, 4);
  assert.is(run.m.kills_effective, 16);
  // One pod at a time, each waiting for Ready (probe) and minReadySeconds: a rollout takes well over 4 x 2 s.
  assert.ok(run.m.swap_duration > 8, `rollout took ${run.m.swap_duration} s`);
});

test('rollout: new pods available at the same instant end the rollout once (a late availability event is ignored)', () => {
  // maxSurge 2 creates both new pods at once, with the same start-up: two availability events at one time.
  // The second used to end the finished rollout again and schedule the next one from a NaN start.
  const cell = web(
    'cluster: { implementations: [{ name: web }], replicas: 2, startup: 1, readiness: none }\n' +
      'diversifier: { strategy: rollout, maxSurge: 2, maxUnavailable: 0, minReadySeconds: 1, period: 60, from: start }\n' +
      'workload: { kind: arrivals, duration: 300, arrivals: { rate: 1 } }',
  );
  const run = cell.run(0);
  assert.is(run.m.rotations, 4);
  assert.is(run.m.kills_effective, 8);

});

test('a request kind naming a service that does not exist is refused with its path', () => {
  try {
    web('workload: { kind: clients, requests: [{ service: nope }] }');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UserError);
    assert.match(String((e as Error).message), /workload\.requests\.0\.service|workload\.requests\[0\]\.service/);
  }
});

test.run();
