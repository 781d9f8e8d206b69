/**
 * Closed-loop clients: each of N threads sends a request, waits for its
 * outcome (a response, a connection failure, or its own timeout), thinks
 * for a drawn time, and sends the next, until the workload's duration is
 * over. Thread i starts at t0 (all at once, as a load generator does).
 */
import type { Cluster } from '../cluster/cluster.ts';
import { sampler, type Sampler } from '../engine/distributions.ts';
import type { RandomStreams, Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Scenario } from '../schema/schema.ts';
import { Kind } from '../schema/event-kinds.ts';
import { Traffic, type TrafficCall } from './traffic.ts';

export class Clients extends Traffic {
  private readonly threads: number;
  private readonly think: Sampler;
  private readonly thinkRng: Rng;

  constructor(sim: Simulation, cluster: Cluster, scenario: Scenario, streams: RandomStreams, trace: boolean) {
    super(sim, cluster, scenario, streams.stream('workload/mix'), trace);
    this.threads = scenario.workload.clients.threads;
    this.think = sampler(scenario.workload.clients.think);
    this.thinkRng = streams.stream('workload/think');
  }

  protected begin(): void {
    for (let t = 0; t < this.threads; t++) this.send(t);
  }

  protected ended(call: TrafficCall): void {
    if (!this.sending()) return;
    this.sim.after(this.think.sample(this.thinkRng), Kind.nextRequest, call.thread, this.next, call.thread);
  }

  private readonly next = (thread: number): void => {
    if (this.sending()) this.send(thread);
    else this.checkEnd();
  };
}
