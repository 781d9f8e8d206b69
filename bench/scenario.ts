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

/** Runs `reps` replications of the paper scenario in this process; returns replications/s and events/s. */
export function paperRunner(): (reps: number) => { reps: number; events: number } {
  const scenario = loadScenario('scenarios/paper.yaml');
  const dataset = loadDataset(scenario);
  const eventsColumn = metricNames(Object.keys(scenario.services)).indexOf('events');
  return (reps) => {
    let events = 0;
    const t = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) events += runReplication(scenario, dataset, r).metrics[eventsColumn];
    const elapsed = seconds(t);
    return { reps: reps / elapsed, events: events / elapsed };
  };
}

export function benchPaper(reps = 1000, runs = 5): ScenarioBench {
  const run = paperRunner();
  const eventRates: number[] = [];
  let perRep = 0;
  const repsPerSecond = measurePaired(runs, () => {
    const rate = run(reps);
    eventRates.push(rate.events);
    perRep = rate.events / rate.reps;
    return rate.reps;
  }, bareHeapOnce);
  return {
    repsPerSecond,
    eventsPerSecond: summary(eventRates.slice(1)), // the warm-up's left out, as measure() leaves it out
    eventsPerRep: perRep,
  };
}
