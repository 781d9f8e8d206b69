/**
 * The attack bench (issue 15): a 1-hour lateral-attack replication at
 * P = 1 s, R = 3, pods that exit on SIGTERM, without the paper's workload,
 * on one core, in events/s, replications/s and ms per replication (target
 * under 25 ms). Run alone: `node --import tsx bench/attack.ts [reps] [runs]`.
 */
import { parseScenario } from '../src/scenario/load.ts';
import { benchReplications, type ScenarioBench } from './scenario.ts';
import { spread } from './stats.ts';

export const lateralHour = `name: bench-lateral
seed: 1
horizon: 3600
cluster: { replicas: 3, sigterm: exit }
diversifier: { period: 1 }
workload: { threads: 0 }
attack:
  - { kind: lateral, interval: 1, exploitTime: 30 }
`;

export type AttackBench = ScenarioBench;

export const benchAttack = (reps = 40, runs = 5): AttackBench => benchReplications(parseScenario(lateralHour, 'bench/attack.ts'), reps, runs);

if (import.meta.url === `file://${process.argv[1]}`) {
  const b = benchAttack(Number(process.argv[2] ?? 40), Number(process.argv[3] ?? 5));
  process.stdout.write(`1-hour lateral attack, P = 1 s, R = 3, no workload: ${spread(b.repsPerSecond)} reps/s, ${spread(b.eventsPerSecond)} events/s, ` +
    `${(1000 / b.repsPerSecond.median).toFixed(1)} ms per replication, ${Math.round(b.eventsPerRep)} events per replication\n`);
}
