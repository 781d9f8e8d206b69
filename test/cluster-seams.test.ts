/**
 * The cluster's seams (issue 15): lifecycle signals that observers subscribe
 * to, the balancing policy behind one interface, one registry of event kinds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { balancingPolicy, LeastRequest } from '../src/cluster/balancing.ts';
import type { Cluster } from '../src/cluster/cluster.ts';
import type { Pod } from '../src/cluster/pod.ts';
import type { Request } from '../src/cluster/request.ts';
import { Kind } from '../src/schema/event-kinds.ts';
import { Cell, paper, smallDataset } from './helpers/sim.ts';

type Seen = { signal: string; pod: number; t: number };

function watch(cluster: Cluster, seen: Seen[], failed: { req: Request; pod: Pod; t: number }[], listening = true): void {
  const sim = () => cluster.router as unknown as { sim: { now: number } };
  const log = (signal: string) => (p: Pod) => seen.push({ signal, pod: p.id, t: sim().sim.now });
  cluster.pods.created.on(log('created'));
  if (listening) cluster.pods.listening.on(log('listening'));
  cluster.pods.ready.on(log('ready'));
  cluster.pods.deleted.on(log('deleted'));
  cluster.pods.gone.on(log('gone'));
  cluster.requests.tryFailed.on((req) => failed.push({ req, pod: req.pod!, t: sim().sim.now }));
}

test('pods signal created, listening, ready, deleted and gone, each once, at the times the pod records', () => {
  const cell = new Cell(paper('diversifier.period=2', 'cluster.sigterm=exit', ...smallDataset));
  for (let rep = 0; rep < 3; rep++) {
    const seen: Seen[] = [];
    const failed: { req: Request; pod: Pod; t: number }[] = [];
    let cluster: Cluster | null = null;
    const r = cell.run(rep, { observe: (c) => ((cluster = c), watch(c, seen, failed)), trace: true });
    const pods = r.trace!.pods;
    assert.ok(r.m.kills_effective > 0, 'the run rotates');
    for (const pod of pods) {
      const mine = seen.filter((s) => s.pod === pod.id);
      const at = (signal: string) => mine.filter((s) => s.signal === signal).map((s) => s.t);
      assert.equal(at('created'), [pod.created], `pod ${pod.id} created once, at its creation`);
      assert.equal(at('ready'), pod.ready === Infinity ? [] : [pod.ready], `pod ${pod.id} ready`);
      assert.equal(at('deleted'), pod.deleted === Infinity ? [] : [pod.deleted], `pod ${pod.id} deleted`);
      assert.ok(at('gone').length <= 1 && at('gone').every((t) => t === pod.gone), `pod ${pod.id} gone at pod.gone`);
      assert.ok(at('listening').every((t) => t === pod.listening), `pod ${pod.id} listening at pod.listening`);
      // Ready can come before listening (without a probe the kubelet reports Ready when the container runs).
      const order = mine.map((s) => s.signal);
      assert.is(order[0], 'created', `pod ${pod.id}: ${order.join(' ')}`);
      if (order.includes('gone')) assert.is(order[order.length - 1], 'gone', `pod ${pod.id}: ${order.join(' ')}`);
      if (order.includes('gone')) assert.ok(order.indexOf('deleted') >= 0 && order.indexOf('deleted') < order.indexOf('gone'));
    }
    assert.ok(seen.some((s) => s.signal === 'gone'), 'some pod is gone during the run');
    assert.is(failed.length, r.m.tries_refused + r.m.tries_timed_out, 'one tryFailed per refused or timed-out try');
    for (const { req, pod: p, t } of failed) {
      assert.ok(t < p.listening || t >= p.closed || t >= p.gone, `try of request ${req.id} failed at ${t} on pod ${p.id}, which was listening`);
    }
    assert.ok(cluster !== null);
  }
});

test('observing signals changes no result and, but for listening, no event', () => {
  const cell = new Cell(paper('diversifier.period=3', ...smallDataset));
  for (let rep = 0; rep < 3; rep++) {
    const plain = cell.run(rep);
    const watched = cell.run(rep, { observe: (c) => watch(c, [], [], false) });
    assert.is(watched.fingerprint, plain.fingerprint);
    assert.equal(watched.metrics.map(String), plain.metrics.map(String));
    const listening = cell.run(rep, { observe: (c) => watch(c, [], [], true) });
    const same = (k: string) => (Number.isNaN(plain.m[k]) ? Number.isNaN(listening.m[k]) : listening.m[k] === plain.m[k]);
    for (const k of cell.names) if (k !== 'events') assert.ok(same(k), `${k}: ${listening.m[k]} vs ${plain.m[k]}`);
    assert.ok(listening.m.events > plain.m.events, 'listening after t0 is an event of its own');
  }
});

const pod = (id: number) => ({ id }) as Pod;

test('round-robin cycles one position per service, modulo the current list', () => {
  const p = balancingPolicy('round-robin', 2, () => 0);
  const a = [pod(0), pod(1), pod(2)];
  assert.equal([0, 1, 2, 3].map(() => p.pick(0, a).id), [0, 1, 2, 0]);
  assert.is(p.pick(1, a).id, 0, 'another service has its own position');
  assert.is(p.pick(0, a.slice(0, 2)).id, 0, 'position 4 of a list of 2');
  assert.is(p.tracksTries, false);
});

test('least-request picks among the fewest tries in flight, ties at random, and hears every try end', () => {
  const draws = [0.9, 0.1, 0.5];
  const p = balancingPolicy('least-request', 1, () => draws.shift()!) as LeastRequest;
  assert.ok(p.tracksTries);
  const a = [pod(0), pod(1), pod(2)];
  const first = p.pick(0, a); // three ties, u = 0.9: the third
  assert.is(first.id, 2);
  p.tryStarted(first);
  const second = p.pick(0, a); // two ties, u = 0.1: the first of them
  assert.is(second.id, 0);
  p.tryStarted(second);
  assert.is(p.pick(0, a).id, 1, 'a single least-loaded pod draws nothing');
  assert.is(draws.length, 1);
  p.tryEnded(first);
  p.tryEnded(second);
  assert.equal(a.map((x) => p.inFlight(x)), [0, 0, 0]);
});

test('event kinds: one registry, each number once', () => {
  const values = Object.values(Kind);
  assert.is(new Set(values).size, values.length);
  assert.ok(values.every((v) => Number.isInteger(v) && v > 0));
});

test.run();
