/**
 * The test script hears its responses ahead (src/cluster/request.ts,
 * `Client.hearsAhead`): it acts when the router knows a response's arrival
 * time, not at an event of that time. That must change nothing but the
 * number of events and the fingerprint: every metric, every request's
 * times, pod and status, every record's outcome and times, every pod's
 * timeline, over randomized scenarios of every routing path, with attackers,
 * and with a drawn latency (where the router falls back to events).
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RandomStreams, type Rng } from '../src/engine/random.ts';
import type { RunResult } from '../src/experiment/replication.ts';
import { parseScenario } from '../src/scenario/load.ts';
import { Cell } from './helpers/sim.ts';

const steps = ['user.insert', 'project.lookup', 'project.insert', 'task.lookup', 'task.insert'];

function randomSets(i: number, rng: Rng): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const sets = [
    `seed=${1 + Math.floor(rng() * 1e9)}`,
    `cluster.sigterm=${['ignore', 'exit', 'drain'][i % 3]}`,
    `diversifier.period=${pick([0.5, 1, 3, 10, 'inf'])}`,
    `diversifier.waitForDeletion=${i % 5 === 4}`,
    `cluster.readiness=${pick(['none', 'probe'])}`,
    `cluster.replicas=${pick([1, 2, 3, 5])}`,
    `ingress.policy=${pick(['round-robin', 'random', 'least-request'])}`,
    `ingress.workers=${pick([1, 1, 3])}`,
    `ingress.tries=${pick([1, 3])}`,
    `noise.errorRate=${pick([0, 0.05])}`,
    `workload.threads=${pick([1, 2, 3])}`,
    `workload.pace=${pick([0, 0.1])}`,
    'workload.dataset.tasksPerProject=12',
    'workload.dataset.maliciousTasks=2',
  ];
  if (rng() < 0.3) sets.push(`cluster.concurrency=1`, `cluster.serviceTime={dist: exponential, mean: 0.2}`);
  if (rng() < 0.3) sets.push(`ingress.connectTimeout=0.5`, 'cluster.grace=2');
  if (i % 2 === 1) for (const s of steps) if (rng() < 0.5) sets.push(`workload.via.${s}=clusterIP`);
  // A drawn latency: the router hears every response at its own event again.
  if (i % 7 === 6) sets.push('latency={dist: uniform, min: 0.0005, max: 0.003}');
  return sets;
}

const rng = new RandomStreams(20261201, 0).stream('hears-ahead-configs');
const paperText = readFileSync('scenarios/paper.yaml', 'utf8');
const attackText = readFileSync('scenarios/attack-lateral.yaml', 'utf8');
const cases = Array.from({ length: 28 }, (_, i) => {
  const sets = randomSets(i, rng);
  // Every fourth case carries the lateral scenario's attackers (and its 1-hour horizon, cut to 5 minutes).
  const scenario = i % 4 === 3 ? parseScenario(attackText, 'scenarios/attack-lateral.yaml', [...sets, 'horizon=300']) : parseScenario(paperText, 'scenarios/paper.yaml', sets);
  return { label: `#${i} ${sets.join(' ')}`, cell: new Cell(scenario), drawnLatency: i % 7 === 6 };
});

/** Everything a run produced, but its event count and fingerprint. */
function trajectory(cell: Cell, r: RunResult): unknown {
  const t = r.trace!;
  return {
    metrics: cell.names.map((n, i) => [n, r.metrics[i]]).filter(([n]) => n !== 'events'),
    requests: t.requests.map((q) => [q.sent, q.end, q.service, q.via, q.worker, q.pod?.id, q.tries, q.status, q.cause]),
    records: t.records.map((w) => [w.id, w.thread, w.start, w.end, w.outcome]),
    pods: t.pods.map((p) => [p.id, p.created, p.running, p.listening, p.ready, p.endpointsIn, p.endpointsOut, p.deleted, p.gone]),
  };
}

test('hearing responses ahead changes no metric and no request, record or pod time, only the event count', () => {
  for (const { label, cell, drawnLatency } of cases) {
    for (const rep of [0, 1]) {
      const ahead = cell.run(rep, { trace: true });
      const events = cell.run(rep, { trace: true, responseEvents: true });
      assert.equal(trajectory(cell, ahead), trajectory(cell, events), label);
      const processed = (r: RunResult) => r.metrics[cell.names.indexOf('events')];
      // A drawn latency hears at events (only pace waits can be saved), a constant one ahead.
      if (drawnLatency) assert.ok(processed(ahead) <= processed(events), `${label}: no more events ahead`);
      else assert.ok(processed(ahead) < processed(events), `${label}: fewer events ahead`);
    }
  }
});

test('on the paper, hearing ahead saves one event per request and one per pace wait', () => {
  const paper = new Cell(parseScenario(paperText, 'scenarios/paper.yaml'));
  const ahead = paper.run(0, { trace: true });
  const events = paper.run(0, { responseEvents: true });
  const paces = ahead.trace!.records.length - paper.scenario.workload.threads;
  assert.is(events.m.events - ahead.m.events, ahead.m.requests + paces);
});

test.run();
