/**
 * What the clients and arrivals workloads share: the request mix, the
 * client-side timeout, and the end of the run. Traffic is sent from t0 until
 * t0 + duration; requests sent before then still end (a response, a
 * connection failure, or the client's timeout), and the run ends when the
 * last of them has: every request gets exactly one outcome.
 */
import { Kind } from '../schema/event-kinds.ts';
import type { Actor, Cluster } from '../cluster/cluster.ts';
import { newRequest, type Client, type Request, type Via } from '../cluster/request.ts';
import type { Rng } from '../engine/random.ts';
import type { EventHandle, Simulation } from '../engine/simulation.ts';
import type { Scenario } from '../schema/schema.ts';
import { ResponseStats } from './response-stats.ts';

interface Route {
  readonly service: number;
  readonly via: Via;
  readonly weight: number;
}

/** The payload of a traffic request: the sender's bookkeeping. */
export interface TrafficCall {
  /** Index of its request kind in the mix. */
  readonly kind: number;
  /** The closed-loop thread that sent it (0 for arrivals). */
  readonly thread: number;
  timeout: EventHandle;
  /** It has its outcome (a response, or the client's timeout). */
  done: boolean;
  /** The client gave up at this time (NaN otherwise). */
  gaveUp: number;
}

/** The request mix resolved against the cluster's services: empty means a GET to the first service. */
export function trafficRoutes(scenario: Scenario): { service: string; via: Via; weight: number }[] {
  const mix = scenario.workload.requests;
  if (mix.length === 0) return [{ service: Object.keys(scenario.services)[0], via: 'ingress', weight: 1 }];
  return mix.map((k) => ({ service: k.service, via: k.via, weight: k.weight }));
}

export abstract class Traffic implements Client, Actor {
  readonly stats = new ResponseStats();
  /** Every request, when tracing. */
  readonly trace: Request<TrafficCall>[] | null;
  endTime = NaN;
  protected stopAt = Infinity;
  private outstanding = 0;
  private readonly routes: Route[];
  private readonly totalWeight: number;
  private readonly timeout: number;
  private readonly duration: number;

  constructor(
    protected readonly sim: Simulation,
    private readonly cluster: Cluster,
    scenario: Scenario,
    private readonly mixRng: Rng,
    trace: boolean,
  ) {
    this.trace = trace ? [] : null;
    this.routes = trafficRoutes(scenario).map((r) => ({ service: cluster.serviceIndex(r.service), via: r.via, weight: r.weight }));
    this.totalWeight = this.routes.reduce((a, r) => a + r.weight, 0);
    this.timeout = scenario.workload.timeout;
    this.duration = scenario.workload.duration;
  }

  start(): void {
    this.stopAt = this.sim.now + this.duration;
    this.sim.at(this.stopAt, Kind.stopSending, 0, this.stopSending, null);
    this.begin();
  }

  private readonly stopSending = (): void => this.checkEnd();

  /** Starts sending (at t0). */
  protected abstract begin(): void;

  /** A request has its outcome; a closed loop sends its next one after thinking. */
  protected abstract ended(call: TrafficCall): void;

  /** Sends one request of a kind drawn from the mix (one draw per request, even with a single kind). */
  protected send(thread: number): void {
    const kind = this.pickKind();
    const r = this.routes[kind];
    const call: TrafficCall = { kind, thread, timeout: -1, done: false, gaveUp: NaN };
    const req = newRequest<TrafficCall>(this.cluster.requestId(), this, r.service, r.via, this.sim.now, call);
    call.timeout = this.sim.after(this.timeout, Kind.clientTimeout, req.id, this.timedOut, req);
    this.outstanding++;
    this.trace?.push(req);
    this.cluster.send(req);
  }

  /** Whether a request sent now would still be part of the run. */
  protected sending(): boolean {
    return this.sim.now < this.stopAt;
  }

  readonly receive = (req: Request): void => {
    const call = (req as Request<TrafficCall>).payload;
    if (call.done) {
      // The client gave up on it already: the late answer changes nothing (the request keeps its timeout outcome).
      [req.end, req.status, req.cause] = [call.gaveUp, 0, 'client_timeout'];
      return;
    }
    this.sim.cancel(call.timeout);
    this.stats.response(req);
    this.resolve(call);
  };

  private readonly timedOut = (req: Request<TrafficCall>): void => {
    req.payload.gaveUp = this.sim.now;
    [req.end, req.status, req.cause] = [this.sim.now, 0, 'client_timeout'];
    this.stats.timedOut();
    this.resolve(req.payload);
  };

  private resolve(call: TrafficCall): void {
    call.done = true;
    this.outstanding--;
    this.ended(call);
    this.checkEnd();
  }

  /** Called when sending stops, and after each outcome. */
  protected checkEnd(): void {
    if (this.outstanding > 0 || this.sending() || !Number.isNaN(this.endTime)) return;
    this.endTime = this.sim.now;
    this.sim.stop();
  }

  private pickKind(): number {
    const u = this.mixRng() * this.totalWeight;
    let acc = 0;
    for (let i = 0; i < this.routes.length; i++) {
      acc += this.routes[i].weight;
      if (u < acc && this.routes[i].weight > 0) return i;
    }
    for (let i = this.routes.length - 1; i >= 0; i--) if (this.routes[i].weight > 0) return i;
    return this.routes.length - 1;
  }
}
