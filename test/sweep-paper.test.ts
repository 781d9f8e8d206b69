/**
 * The paper's sweep (docs/model.md section 8): the failure rate does not fall as
 * the rotation period P shrinks from 15 s to 1 s, at the level of the 95 %
 * confidence intervals, and at P = 1 s it is clearly above P = 15 s.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planSweep } from '../src/experiment/plan.ts';
import { runUnits } from '../src/experiment/pool.ts';
import { summarize, type Stats } from '../src/metrics/summary.ts';

// 300 replications per period: about 1500 x 4 ms of simulation.
const reps = 300;

test('failure rate is non-decreasing as P falls from 15 s to 1 s (95 % CI)', async () => {
  const plan = planSweep('scenarios/paper-sweep.yaml', { sets: [`reps=${reps}`], vary: ['period=15,10,5,3,1'] });
  const metric = plan.metrics.indexOf('failure_rate');
  const values = plan.cells.map(() => new Array<number>(reps));
  const outcome = await runUnits(plan.units, (c) => plan.cells[c].scenario, {
    workers: 2,
    onResult: async (r) => {
      for (let k = 0; k < r.fingerprints.length; k++) values[r.unit.cell][r.unit.from + k] = r.metrics[k * r.width + metric];
    },
  });
  assert.is(outcome, 'done');
  const stats: Stats[] = values.map((v) => summarize(v));
  const periods = plan.cells.map((c) => c.scenario.diversifier.period);
  assert.equal(periods, [15, 10, 5, 3, 1]);
  const show = stats.map((s, i) => `P=${periods[i]}: ${s.mean} [${s.ci_low}, ${s.ci_high}]`).join('; ');
  for (let i = 1; i < stats.length; i++) {
    // The shorter period's mean is not below the longer period's CI.
    assert.ok(stats[i].mean >= stats[i - 1].ci_low, `P=${periods[i]} below P=${periods[i - 1]}: ${show}`);
  }
  assert.ok(stats[4].ci_low > stats[0].ci_high, `P=1 not clearly above P=15: ${show}`);
  assert.ok(stats[4].mean < 0.05, `P=1 fails too often: ${show}`);
});

test.run();
