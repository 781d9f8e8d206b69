/**
 * The attackers of a scenario: every entry of `attack` but `pseudo` (the
 * dataset's malicious records, sent by the test script) is an actor on the
 * cluster, started at t0 after the workload, in list order.
 */
import type { Cluster } from '../cluster/cluster.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Scenario } from '../schema/schema.ts';
import { Attacker, attackerName } from './attacker.ts';

export { Attacker, attackerName };

/** The actors' names and chain lengths, in list order (the metric columns follow them). */
export function attackActors(s: Scenario): { name: string; stages: number }[] {
  return s.attack.filter((a) => a.kind !== 'pseudo').map((a) => ({ name: attackerName(a), stages: a.kind === 'lateral' ? a.chain.length : 1 }));
}

/** Services some attacker reaches through a ClusterIP (their kube-proxy views must exist). */
export function attackClusterIPServices(s: Scenario): string[] {
  return s.attack.flatMap((a) => {
    if (a.kind === 'pseudo') return [];
    if (a.kind === 'lateral') return a.via === 'clusterIP' ? a.chain : a.chain.slice(1);
    return a.via === 'clusterIP' ? [a.target] : [];
  });
}

/** Builds and adds the scenario's attackers to the cluster (before boot). */
export function addAttackers(sim: Simulation, cluster: Cluster, s: Scenario, streams: RandomStreams): Attacker[] {
  const out: Attacker[] = [];
  s.attack.forEach((a, i) => {
    if (a.kind === 'pseudo') return;
    const attacker = new Attacker(sim, cluster, a, i, streams, s.horizon);
    cluster.addActor(attacker);
    out.push(attacker);
  });
  return out;
}
