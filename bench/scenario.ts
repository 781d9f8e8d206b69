/** Replications per second of a scenario on one core, in process (the paper scenario here; the attack bench reuses it). */
import { runReplication } from '../src/experiment/replication.ts';
import { loadDataset } from '../src/experiment/run.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { metricNames } from '../src/schema/metric-names.ts';
import type { Scenario } from '../src/schema/schema.ts';
import { bareHeapOnce } from './engine.ts';
import { measurePaired, seconds, summary, type Measured } from './stats.ts';

export interface ScenarioBench {
  /** With the machine's speed beside each run (measurePaired). */
  repsPerSecond: Measured & { speed: Measured; perSpeed: number };
  eventsPerSecond: Measured;
  eventsPerRep: number;
}

/** Runs `reps` replications of `scenario` in this process; returns replications/s and events/s. */
export function replicationRunner(scenario: Scenario): (reps: number) => { reps: number; events: number } {
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

export const paperRunner = () => replicationRunner(loadScenario('scenarios/paper.yaml'));

/** `runs` runs of `reps` replications after a warm-up, each with the machine's speed measured right after it. */
export function benchReplications(scenario: Scenario, reps: number, runs: number): ScenarioBench {
  const run = replicationRunner(scenario);
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

export const benchPaper = (reps = 1000, runs = 5): ScenarioBench => benchReplications(loadScenario('scenarios/paper.yaml'), reps, runs);
