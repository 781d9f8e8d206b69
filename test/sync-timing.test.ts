/**
 * How a slice change reaches the balancers (docs/model.md section 4): one
 * token bucket for the whole controller, full at t = 0; a sync at
 * max(arrival, next token) applies every change that arrived while it
 * waited; each worker reloads at its first poll at or after a sync (polls at
 * phase + k * pollInterval). Checked against a model of those sentences
 * written here from the slice changes' arrival times.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Cluster } from '../src/cluster/cluster.ts';
import type { Simulation } from '../src/engine/simulation.ts';
import { Cell, paper } from './helpers/sim.ts';

/** Sync times of a token bucket (rate, burst, full at 0) fed by change arrivals in time order. */
function expectedSyncs(arrivals: readonly number[], rate: number, burst: number, end: number): number[] {
  const syncs: number[] = [];
  let tokens = burst;
  let since = 0;
  let pending = NaN;
  const fire = () => {
    tokens = Math.min(burst, tokens + (pending - since) * rate) - 1;
    since = pending;
    syncs.push(pending);
    pending = NaN;
  };
  for (const a of arrivals) {
    if (pending <= a && a !== pending) fire(); // the pending sync ran before this arrival
    if (!Number.isNaN(pending)) continue; // applied by the sync it waits for
    const now = Math.min(burst, tokens + (a - since) * rate);
    pending = now >= 1 ? a : a + (1 - now) / rate;
  }
  if (pending <= end) fire();
  return syncs;
}

const firstPoll = (t: number, phase: number, interval: number) => {
  let p = phase + Math.ceil((t - phase) / interval) * interval;
  if (p < t) p += interval;
  return p;
};

test('syncs follow the token bucket and every worker reloads at its first poll after each sync', () => {
  for (const sets of [
    ['diversifier.period=1'],
    ['diversifier.period=0.5', 'ingress.syncBurst=3', 'ingress.syncRate=2', 'ingress.workers=3', 'ingress.pollInterval=0.7'],
    ['diversifier.period=2', 'ingress.syncRate=0.1', 'ingress.workers=2'],
  ]) {
    const cell = new Cell(paper(...sets, 'workload.dataset.tasksPerProject=30', 'workload.dataset.maliciousTasks=3'));
    const { syncRate, syncBurst, pollInterval } = cell.scenario.ingress;
    for (let rep = 0; rep < 3; rep++) {
      const arrivals: number[] = [];
      const reloads: number[][] = [];
      let sim: Simulation | null = null;
      let cluster: Cluster | null = null;
      let lists: unknown[] = [];
      cell.run(rep, {
        observe: (c) => {
          cluster = c;
          const changed = c.controller.sliceChanged.bind(c.controller);
          c.controller.sliceChanged = () => (arrivals.push(sim?.now ?? 0), changed());
          lists = c.balancers.map((b) => b.lists);
          c.balancers.forEach(() => reloads.push([]));
        },
        // A reload replaces a balancer's lists (a new array each time).
        afterEvent: (c, s) => {
          sim = s;
          c.balancers.forEach((b, w) => {
            if (b.lists !== lists[w]) reloads[w].push(s.now);
            lists[w] = b.lists;
          });
        },
      });
      const end = sim!.now;
      const syncs = expectedSyncs(arrivals, syncRate, syncBurst, end);
      const label = `${sets.join(' ')} rep ${rep}`;
      assert.ok(syncs.length >= 3 && arrivals.length > syncs.length, `${label}: ${syncs.length} syncs for ${arrivals.length} changes`);
      cluster!.balancers.forEach((b, w) => {
        const want = [...new Set(syncs.map((t) => firstPoll(t, b.phase, pollInterval)))].filter((t) => t <= end);
        assert.is(reloads[w].length, want.length, `${label}: worker ${w} reloads`);
        want.forEach((t, k) => assert.ok(Math.abs(reloads[w][k] - t) < 1e-9, `${label}: worker ${w} reload ${k} at ${reloads[w][k]}, expected ${t}`));
      });
    }
  }
});

test.run();
