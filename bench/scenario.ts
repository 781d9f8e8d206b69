/** Replications per second of the paper scenario on one core, in process. */
import { runReplication } from '../src/experiment/replication.ts';
import { loadDataset } from '../src/experiment/run.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { metricNames } from '../src/schema/metric-names.ts';
import { bareHeapOnce } from './engine.ts';
import { measurePaired, seconds, summary, type Measured } from './stats.ts';

export interface ScenarioBench {
  /** With the machine's speed beside each run (measurePaired). */
  repsPerSecond: Measured & { speed: Measured; perSpeed: number };
  eventsPerSecond: Measured;
  eventsPerRep: number;
}

export function benchPaper(reps = 1000, runs = 5): ScenarioBench {
  const scenario = loadScenario('scenarios/paper.yaml');
  const dataset = loadDataset(scenario);
  const eventsColumn = metricNames(Object.keys(scenario.services)).indexOf('events');
  let events = 0;
  let elapsed = 0;
  const once = (): number => {
    events = 0;
    const t = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) events += runReplication(scenario, dataset, r).metrics[eventsColumn];
    elapsed = seconds(t);
    return reps / elapsed;
  };
  const eventRates: number[] = [];
  const repsPerSecond = measurePaired(runs, () => {
    const rate = once();
    eventRates.push(events / elapsed);
    return rate;
  }, bareHeapOnce);
  return {
    repsPerSecond,
    eventsPerSecond: summary(eventRates.slice(1)), // the warm-up's left out, as measure() leaves it out
    eventsPerRep: events / reps,
  };
}
