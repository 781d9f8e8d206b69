/**
 * kube-proxy's fallback to Terminating pods (README, "kube-proxy"): with no
 * Ready pod in its view, a pod is a candidate when kube-proxy has heard of its
 * deletion, it was Ready before it was deleted (its own state, carried by the
 * deletion's slice change as `serving`) and it is not gone.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeProxy } from '../src/cluster/kube-proxy.ts';
import { Pod } from '../src/cluster/pod.ts';
import { serviceSettings } from '../src/cluster/settings.ts';
import { sampler } from '../src/engine/distributions.ts';
import { RandomStreams } from '../src/engine/random.ts';
import { Simulation } from '../src/engine/simulation.ts';
import { paper } from './helpers/sim.ts';

function setup() {
  const sim = new Simulation();
  const settings = serviceSettings(paper())[0];
  const streams = new RandomStreams(1, 0);
  // Constant 0.5 s lag behind each slice change.
  const proxy = new KubeProxy(sim, sampler(0.5), streams.stream('proxy/sync'), streams.stream('proxy/pick'));
  const pod = (id: number) => new Pod(id, 'users', settings.implementations[0], settings, 0, 1, 2);
  const at = (t: number, f: () => void) => sim.at(t, 1, 0, f, null);
  const picked = () => [...new Set(Array.from({ length: 50 }, () => proxy.pick(sim.now)?.id ?? null))];
  return { sim, proxy, pod, at, picked };
}

test('a pod Ready before its deletion is a fallback candidate once kube-proxy hears of the deletion, even if it never heard of the Ready change', () => {
  const { sim, proxy, pod, at, picked } = setup();
  const p = pod(1);
  // Ready at 0; its Ready change leaves at 0.3 (view at 0.8), its deletion at 0.1 reaches the slice first (view at 0.6).
  at(0, () => (p.ready = 0));
  at(0.1, () => {
    p.deleted = 0.1;
    p.gone = 30;
    proxy.sliceChanged(p, 'deleted', true);
  });
  at(0.3, () => proxy.sliceChanged(p, 'ready', true));
  sim.run(0.55);
  assert.equal(picked(), [null], 'nothing heard yet');
  sim.run(0.65);
  assert.equal(picked(), [1], 'serving and terminating: the fallback');
  sim.run(0.9);
  assert.equal(picked(), [1], 'the late Ready change does not make it Ready, nor removes it');
  sim.run(31);
  assert.equal(picked(), [null], 'gone');
});

test('a deletion that did not change the slice (it overtook the Ready change there) still tells kube-proxy the pod is serving', () => {
  const { sim, proxy, pod, at, picked } = setup();
  const p = pod(1);
  at(0, () => (p.ready = 0));
  at(0.1, () => {
    p.deleted = 0.1;
    p.gone = 30;
    proxy.sliceChanged(p, 'deleted', false);
  });
  sim.run(1);
  assert.equal(picked(), [1]);
});

test('the view remembers a deleted pod only while its Ready change is in flight: over 2000 pods, half overtaken, it forgets them all', () => {
  const { sim, proxy, pod, at } = setup();
  for (let i = 0; i < 2000; i++) {
    const p = pod(i);
    const t = i * 0.01;
    at(t, () => {
      p.ready = t;
      // Even pods: the Ready change leaves before the deletion, arriving first; odd ones: the deletion's view
      // sync is the same lag, so a Ready change sent later arrives later (overtaken).
      if (i % 2 === 0) proxy.sliceChanged(p, 'ready', true);
    });
    at(t + 0.005, () => {
      p.deleted = t + 0.005;
      p.gone = t + 0.006;
      proxy.sliceChanged(p, 'deleted', true);
      if (i % 2 === 1) proxy.sliceChanged(p, 'ready', true);
    });
  }
  sim.run();
  assert.is(proxy.remembered, 0);
  assert.is(proxy.pick(sim.now), null, 'every pod deleted and gone; no overtaken Ready change made one Ready');
});

test('a pod deleted before it was Ready is never a candidate', () => {
  const { sim, proxy, pod, at, picked } = setup();
  const p = pod(1);
  at(0, () => {
    p.deleted = 0;
    p.gone = 30;
    proxy.sliceChanged(p, 'deleted', true);
  });
  sim.run(1);
  assert.equal(picked(), [null]);
});

test.run();
