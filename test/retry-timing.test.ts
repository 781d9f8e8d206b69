/**
 * When each ingress try leaves (docs/model.md sections 4 and 10): the first
 * one hop after the client sent the request; a retry as soon as the refusal
 * is back at the ingress (one hop after the try reached a pod that does not
 * listen) or `connectTimeout` after the try left (a gone pod); a failure
 * reaches the client one hop after the ingress decides. One hop is the
 * constant latency here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Pod } from '../src/cluster/pod.ts';
import type { Simulation } from '../src/engine/simulation.ts';
import { Cell, paper } from './helpers/sim.ts';

const hop = 0.001;
const timeout = 0.4;
const common = ['workload.dataset.tasksPerProject=30', 'workload.dataset.maliciousTasks=3', `ingress.connectTimeout=${timeout}`];
const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

test('retries leave when the failed try is back at the ingress; failures reach the client one hop after the decision', () => {
  const seen = { retries: 0, afterTimeout: 0, failed: 0 };
  for (const sets of [
    ['diversifier.period=0.5', 'cluster.replicas=1', 'cluster.sigterm=exit'],
    ['diversifier.period=0.5', 'cluster.replicas=2', 'cluster.sigterm=drain', 'cluster.drain=0.1', 'ingress.policy=least-request', 'ingress.workers=2'],
    ['diversifier.period=0.5', 'cluster.replicas=2', 'ingress.policy=random', 'cluster.grace=1'],
  ]) {
    const cell = new Cell(paper(...sets, ...common));
    for (let rep = 0; rep < 2; rep++) {
      const tries = new Map<number, { t: number; pod: Pod }[]>();
      let sim: Simulation | null = null;
      const run = cell.run(rep, {
        trace: true,
        afterEvent: (_c, s) => (sim = s),
        onTry: (req, pod) => tries.set(req.id, [...(tries.get(req.id) ?? []), { t: sim!.now, pod }]),
      });
      // When the ingress hears the outcome of a try that left at t: refused one hop after it arrived, timed out connectTimeout after it left.
      const back = (x: { t: number; pod: Pod }) => (x.t + hop >= x.pod.gone ? x.t + timeout : x.t + 2 * hop);
      for (const q of run.trace!.requests) {
        if (q.via !== 'ingress') continue;
        const ts = tries.get(q.id) ?? [];
        const at = `${sets.join(' ')} rep ${rep} request ${q.id}`;
        if (ts.length === 0) {
          assert.ok(q.status === 503 && near(q.end, q.sent + 2 * hop), `${at}: no try, 503 at once`);
          continue;
        }
        assert.ok(near(ts[0].t, q.sent + hop), `${at}: first try one hop after sending`);
        for (let i = 1; i < ts.length; i++) {
          seen.retries++;
          if (ts[i - 1].t + hop >= ts[i - 1].pod.gone) seen.afterTimeout++;
          assert.ok(near(ts[i].t, back(ts[i - 1])), `${at}: try ${i + 1} left at ${ts[i].t}, the failed try was back at ${back(ts[i - 1])}`);
        }
        if (q.status >= 500 && q.cause !== 'killed' && q.cause !== 'noise') {
          seen.failed++;
          assert.ok(near(q.end, back(ts[ts.length - 1]) + hop), `${at}: ${q.status} at ${q.end}, one hop after the last try was back`);
        }
      }
    }
  }
  assert.ok(seen.retries > 50 && seen.afterTimeout > 0 && seen.failed > 10, JSON.stringify(seen));
});

test.run();
