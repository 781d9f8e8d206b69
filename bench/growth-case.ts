/**
 * One growth measurement in a process of its own, so that its peak memory
 * is its own: reads a case (JSON) from argv, warms up for ~0.5 s, then runs
 * replications for at least `reps` and at least 1 s, and prints JSON with
 * events per replication, events per second and the process's peak RSS.
 */
import { runReplication } from '../src/experiment/replication.ts';
import { loadDataset } from '../src/experiment/run.ts';
import { parseScenario } from '../src/scenario/load.ts';
import { metricNames } from '../src/schema/metric-names.ts';
import type { GrowthCase } from './cases.ts';
import { seconds } from './stats.ts';

const c = JSON.parse(process.argv[2]) as GrowthCase;
const scenario = parseScenario(c.yaml, `growth-${c.dimension}-${c.value}.yaml`);
const dataset = loadDataset(scenario);
const eventsColumn = metricNames(Object.keys(scenario.services)).indexOf('events');
const warm = process.hrtime.bigint();
for (let r = 1000; seconds(warm) < 0.5; r++) runReplication(scenario, dataset, r); // JIT warm-up
let events = 0;
let reps = 0;
const t = process.hrtime.bigint();
while (reps < c.reps || seconds(t) < 1) events += runReplication(scenario, dataset, reps++).metrics[eventsColumn];
const s = seconds(t);
process.stdout.write(
  JSON.stringify({ events: events / reps, reps, seconds: s / reps, eventsPerSecond: events / s, maxRssMB: process.resourceUsage().maxRSS / 1024 }),
);
