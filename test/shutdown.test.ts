/**
 * Shutdown and kills (README, "Pods"): when a request killed inside a pod
 * reaches its client, and what `sigterm: drain` does between SIGTERM (td)
 * and the pod's exit (ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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
  const seen = { ingress: 0, clusterIP: 0 };
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

test.run();
