/**
 * Prints the paper scenario's in-process rate (replications/s) over N
 * replications after a warm-up, as one line: `RATE`. The unit of the
 * two-process ceiling (bench/startup.ts simulationCapacity).
 *
 *   node --import tsx bench/paper-rate.ts [N]
 */
import { setFlagsFromString } from 'node:v8';
import { runReplication } from '../src/experiment/replication.ts';
import { loadDataset } from '../src/experiment/run.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { seconds } from './stats.ts';

setFlagsFromString('--no-allocation-site-pretenuring'); // as sim runs (src/cli/sim.mjs)
const reps = Number(process.argv[2] ?? 1000);
const scenario = loadScenario('scenarios/paper.yaml');
const dataset = loadDataset(scenario);
for (let r = 0; r < 100; r++) runReplication(scenario, dataset, r);
const t = process.hrtime.bigint();
for (let r = 0; r < reps; r++) runReplication(scenario, dataset, r);
process.stdout.write(`${reps / seconds(t)}\n`);
