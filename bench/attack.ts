/**
 * The attack bench (issue 15): a 1-hour lateral-attack replication at
 * P = 1 s, R = 3, pods that exit on SIGTERM, without the paper's workload,
 * on one core, in events/s, replications/s and ms per replication (target
 * under 25 ms). Run alone: `node --import tsx bench/attack.ts [reps] [runs]`.
 */
import { runReplication } from '../src/experiment/replication.ts';
import { loadDataset } from '../src/experiment/run.ts';
import { metricNames } from '../src/schema/metric-names.ts';
import { parseScenario } from '../src/scenario/load.ts';
import { bareHeapOnce } from './engine.ts';
import { measurePaired, seconds, summary, spread, type Measured } from './stats.ts';

export const lateralHour = `name: bench-lateral
seed: 1
horizon: 3600
cluster: { replicas: 3, sigterm: exit }
diversifier: { period: 1 }
workload: { threads: 0 }
attack:
  - { kind: lateral, interval: 1, exploitTime: 30 }
`;

export interface AttackBench {
  /** With the machine's speed beside each run (measurePaired). */
  repsPerSecond: Measured & { speed: Measured; perSpeed: number };
  eventsPerSecond: Measured;
  eventsPerRep: number;
}

export function benchAttack(reps = 40, runs = 5): AttackBench {
  const scenario = parseScenario(lateralHour, 'bench/attack.ts');
  const dataset = loadDataset(scenario);
  const eventsAt = metricNames(Object.keys(scenario.services)).indexOf('events');
  let events = 0;
  let elapsed = 0;
  const eventRates: number[] = [];
  const repsPerSecond = measurePaired(runs, () => {
    events = 0;
    const t = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) events += runReplication(scenario, dataset, r).metrics[eventsAt];
    elapsed = seconds(t);
    eventRates.push(events / elapsed);
    return reps / elapsed;
  }, bareHeapOnce);
  return {
    repsPerSecond,
    eventsPerSecond: summary(eventRates.slice(1)), // the warm-up's left out, as measure() leaves it out
    eventsPerRep: events / reps,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const b = benchAttack(Number(process.argv[2] ?? 40), Number(process.argv[3] ?? 5));
  process.stdout.write(`1-hour lateral attack, P = 1 s, R = 3, no workload: ${spread(b.repsPerSecond)} reps/s, ${spread(b.eventsPerSecond)} events/s, ` +
    `${(1000 / b.repsPerSecond.median).toFixed(1)} ms per replication, ${Math.round(b.eventsPerRep)} events per replication\n`);
}
