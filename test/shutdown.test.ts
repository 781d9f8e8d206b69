/**
 * Shutdown and kills (README, "Pods"): when a request killed inside a pod
 * reaches its client, and what `sigterm: drain` does between SIGTERM (td)
 * and the pod's exit (ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Pod } from '../src/cluster/pod.ts';
import { Cell, paper, type Run } from './helpers/sim.ts';

/** Pods that hold requests when they exit: slow service, one slot, frequent kills, small dataset. */
const busy = [
  'diversifier.period=1',
  'cluster.concurrency=1',
  'cluster.serviceTime={dist: exponential, mean: 0.3}',
  'workload.dataset.users=2',
  'workload.dataset.tasksPerProject=15',
  'workload.dataset.maliciousTasks=1',
];

const traced = (sets: string[], reps: number): Run[] => {
  const cell = new Cell(paper(...sets));
  return Array.from({ length: reps }, (_, i) => cell.run(i, { trace: true }));
};

test('a request killed inside a pod reaches its client two hops after ts via the ingress, one hop via a ClusterIP', () => {
  const runs = traced([...busy, 'cluster.sigterm=exit', 'workload.via.task.insert=clusterIP', 'workload.via.project.lookup=clusterIP'], 6);
  const hop = 0.001;
  const seen = { ingress: 0, clusterIP: 0, loadBalancer: 0 };
  for (const run of runs) {
    for (const q of run.trace!.requests) {
      if (q.cause !== 'killed') continue;
      seen[q.via]++;
      const hops = q.via === 'ingress' ? 2 : 1;
      assert.ok(Math.abs(q.end - (q.pod!.gone + hops * hop)) < 1e-9, `request ${q.id} via ${q.via}: end ${q.end}, pod gone at ${q.pod!.gone}`);
    }
  }
  assert.ok(seen.ingress > 0 && seen.clusterIP > 0, `killed requests on both paths: ${JSON.stringify(seen)}`);
});



test('drain: from SIGTERM every new connection is refused (the ingress retries it) and the pod exits once it holds no request', () => {
  // A readiness probe: no pod is listed before it listens, so every refusal is a draining pod's.
  const sets = [...busy, 'cluster.readiness=probe', 'cluster.sigterm=drain', 'cluster.drain=30'];
  const cell = new Cell(paper(...sets));
  let refusedTotal = 0;
  let early = 0;
  for (let i = 0; i < 6; i++) {
    const tries: { pod: Pod; arrival: number }[] = [];
    let now = () => 0;
    const run = cell.run(i, {
      trace: true,
      afterEvent: (_c, sim) => (now = () => sim.now),
      onTry: (_req, pod) => tries.push({ pod, arrival: now() + 0.001 }),
    });
    const draining = tries.filter((t) => t.arrival >= t.pod.deleted && t.arrival < t.pod.gone).length;
    assert.is(run.m.tries_refused, draining, `run ${i}: the refused tries are exactly those that reached a draining pod`);
    refusedTotal += run.m.tries_refused;
    // With a 30 s deadline and service times of 0.3 s, every pod finishes what it holds: nothing is killed.
    assert.is(run.m.failed_killed, 0, `run ${i}: killed requests`);
    for (const p of run.trace!.pods.filter((q) => q.terminating)) {
      assert.ok(p.closed === p.deleted && p.gone >= p.deleted && p.gone <= p.deleted + 30, `pod ${p.id}`);
      if (p.gone < p.deleted + 30) early++;
    }
  }
  assert.ok(refusedTotal > 0, 'some tries reached draining pods');
  assert.ok(early > 0, 'pods exit before their deadline once they hold nothing');
});

test('drain: requests still inside at td + min(drain, grace) fail as killed, then', () => {
  const sets = [...busy, 'cluster.sigterm=drain', 'cluster.drain=0.2', 'cluster.serviceTime={dist: exponential, mean: 1}'];
  let killed = 0;
  for (const run of traced(sets, 4)) {
    for (const q of run.trace!.requests.filter((r) => r.cause === 'killed')) {
      killed++;
      assert.ok(Math.abs(q.pod!.gone - (q.pod!.deleted + 0.2)) < 1e-9, `request ${q.id}: killed at its pod's deadline`);
    }
  }
  assert.ok(killed > 0);
});

test('drain and exit with the same delay differ: drain closes its listener at SIGTERM and finishes what it holds, exit listens until it exits and kills what it holds then', () => {
  const common = [...busy, 'cluster.readiness=probe'];
  const sum = (runs: Run[], m: string) => runs.reduce((a, r) => a + r.m[m], 0);
  const exit = traced([...common, 'cluster.sigterm=exit', 'cluster.shutdownDelay=1'], 6);
  const drain = traced([...common, 'cluster.sigterm=drain', 'cluster.drain=1'], 6);
  assert.not.equal(exit.map((r) => r.fingerprint), drain.map((r) => r.fingerprint));
  assert.is(sum(exit, 'tries_refused'), 0, 'exit listens until ts (a probe lists no pod before it listens)');
  assert.ok(sum(drain, 'tries_refused') > 0, 'drain refuses from SIGTERM');
  assert.ok(sum(drain, 'failed_killed') < sum(exit, 'failed_killed'), `killed: drain ${sum(drain, 'failed_killed')}, exit ${sum(exit, 'failed_killed')}`);
});

test('exit: a Terminating pod accepts new connections until it exits at td + shutdownDelay (only drain closes its listener at td)', () => {
  // A readiness probe lists no pod before it listens: with exit nothing is ever refused.
  const cell = new Cell(paper('cluster.readiness=probe', 'cluster.sigterm=exit', 'cluster.shutdownDelay=3', 'diversifier.period=1', ...busy.slice(3)));
  let accepted = 0;
  for (let rep = 0; rep < 3; rep++) {
    const run = cell.run(rep, { trace: true });
    assert.is(run.m.tries_refused, 0, `run ${rep}: tries refused by pods that listen until ts`);
    accepted += run.trace!.requests.filter((q) => q.status < 500 && q.pod!.deleted < q.trySent).length;
  }
  assert.ok(accepted > 0, 'some requests were served by Terminating pods');
});

test.run();
