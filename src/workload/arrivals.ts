/**
 * Open-loop traffic: requests arrive at `rate` per second whatever happens
 * to earlier ones (a Poisson process, or one every 1/rate s), the first at
 * t0, until the workload's duration is over.
 */
import type { Cluster } from '../cluster/cluster.ts';
import type { RandomStreams, Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Scenario } from '../schema/schema.ts';
import { Kind } from '../schema/event-kinds.ts';
import { Traffic } from './traffic.ts';

export class Arrivals extends Traffic {
  private readonly rate: number;
  private readonly poisson: boolean;
  private readonly gapRng: Rng;
  private sent = 0;
  /** When the next arrival is due, as a sum of gaps (constant rate: t0 + k / rate, without accumulated rounding). */
  private t0 = 0;
  private nextAt = 0;

  constructor(sim: Simulation, cluster: Cluster, scenario: Scenario, streams: RandomStreams, trace: boolean) {
    super(sim, cluster, scenario, streams.stream('workload/mix'), trace);
    this.rate = scenario.workload.arrivals.rate;
    this.poisson = scenario.workload.arrivals.process === 'poisson';
    this.gapRng = streams.stream('workload/arrivals');
  }

  protected begin(): void {
    this.t0 = this.sim.now;
    this.nextAt = this.t0;
    this.arrive();
  }

  protected ended(): void {}

  private readonly arrive = (): void => {
    if (!this.sending()) return this.checkEnd();
    this.send(0);
    this.sent++;
    this.nextAt = this.poisson ? this.nextAt - Math.log(1 - this.gapRng()) / this.rate : this.t0 + this.sent / this.rate;
    this.sim.at(this.nextAt, Kind.nextRequest, this.sent, this.arrive, null);
  };
}
