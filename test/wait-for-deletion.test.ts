/**
 * `diversifier.waitForDeletion` (docs/model.md section 5): the next interval
 * starts when the victim is really gone. A draining pod's exit is known only
 * once it holds nothing after SIGTERM, which a kubelet delay or a preStop hook
 * puts later than the deletion.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Cell, paper } from './helpers/sim.ts';

const small = ['workload.dataset.tasksPerProject=30', 'workload.dataset.maliciousTasks=3'];

/** Per service, the gap from each victim's exit to the next deletion. */
function gaps(sets: string[]): number[] {
  const run = new Cell(paper('diversifier.period=2', 'diversifier.waitForDeletion=true', 'diversifier.select=ready', ...sets, ...small)).run(0, { trace: true });
  const out: number[] = [];
  for (const svc of ['users', 'projects', 'tasks']) {
    const victims = run.trace!.pods.filter((p) => p.service === svc && p.terminating).sort((a, b) => a.deleted - b.deleted);
    for (let k = 1; k < victims.length; k++) if (victims[k - 1].gone <= run.m.end_time) out.push(victims[k].deleted - victims[k - 1].gone);
  }
  return out;
}

for (const delay of ['cluster.terminationDelay=1', 'cluster.preStop=1']) {
  test(`drain with ${delay}: the next deletion is P after the victim's real exit, not after its drain deadline`, () => {
    const g = gaps(['cluster.sigterm=drain', 'cluster.drain=5', delay]);
    assert.ok(g.length >= 3, `${g.length} consecutive deletions`);
    for (const x of g) assert.ok(Math.abs(x - 2) < 1e-9, `next deletion ${x} s after the victim was gone, expected P = 2 s`);
  });
}

test('ignore, exit and drain without a delay: P after the victim is gone', () => {
  for (const sets of [['cluster.grace=3'], ['cluster.sigterm=exit', 'cluster.shutdownDelay=1'], ['cluster.sigterm=drain']]) {
    const g = gaps(sets);
    assert.ok(g.length >= 3, `${sets}: ${g.length} consecutive deletions`);
    for (const x of g) assert.ok(Math.abs(x - 2) < 1e-9, `${sets}: next deletion ${x} s after the victim was gone`);
  }
});

test.run();
