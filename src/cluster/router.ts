/**
 * The HTTP path of a request (docs/model.md section 4): client -> ingress worker
 * -> pod with retries on refused or timed-out tries, or client -> ClusterIP
 * (kube-proxy) -> pod without retry, or client -> a node -> that node's
 * kube-proxy -> pod (a LoadBalancer Service: no retry, and the client sees
 * connection failures, not HTTP statuses); then the pod's FIFO slots,
 * service time, noise and the application; then the response back hop by hop.
 */
import type { Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { FailureCause } from '../schema/metric-names.ts';
import type { Balancer } from './ingress-balancer.ts';
import { Kind } from '../schema/event-kinds.ts';
import type { KubeProxy } from './kube-proxy.ts';
import type { Pod } from './pod.ts';
import type { Application, Request } from './request.ts';
import type { RouterSettings } from './settings.ts';
import { RequestSignals } from './signals.ts';

export interface RouterStreams {
  readonly latency: Rng;
  readonly worker: Rng;
  readonly noise: Rng;
  /** The node a LoadBalancer sends a connection to. */
  readonly node: Rng;
  /** serviceTime stream per service. */
  readonly service: readonly Rng[];
}

/** Watches every try for invariant checks in tests. */
export type TryObserver = (req: Request, pod: Pod) => void;

export class Router {
  triesRefused = 0;
  triesTimedOut = 0;
  observer: TryObserver | null = null;
  /** Told when a draining pod has served its last request (it then exits). */
  drained: ((pod: Pod) => void) | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly settings: RouterSettings,
    private readonly rng: RouterStreams,
    private readonly balancers: readonly Balancer[],
    private readonly proxies: readonly (KubeProxy | null)[],
    private readonly app: Application,
    /** Per service reached through a LoadBalancer, each node's kube-proxy view. */
    private readonly nodes: readonly (readonly KubeProxy[] | null)[] = [],
    private readonly signals = new RequestSignals(),
  ) {}

  /** The client sends `req` at `req.sent` (now, or later when it heard its previous response ahead). */
  send(req: Request): void {
    // At an event of its own when it leaves later and something must happen then: kube-proxy picks when
    // the request leaves, and a drawn hop is drawn then (the latency stream goes to hops in time order).
    // Via a ClusterIP also when the answer could come back at once to a client that hears ahead (its
    // next send would nest here).
    const later = req.sent > this.sim.now && (req.via === 'clusterIP' || this.settings.latency.draws);
    if (later || (req.via === 'clusterIP' && this.ahead(req))) this.sim.at(req.sent, Kind.requestSent, req.id, this.leave, req);
    else this.leave(req);
  }

  /** The request leaves its client: one hop to the ingress or a node, or kube-proxy picks a pod. */
  private readonly leave = (req: Request): void => {
    if (req.via === 'ingress') {
      this.sim.at(req.sent + this.hop(), Kind.requestAtIngress, req.id, this.atIngress, req);
      return;
    }
    if (req.via === 'loadBalancer') {
      this.sim.at(req.sent + this.hop(), Kind.requestAtNode, req.id, this.atNode, req);
      return;
    }
    const pod = this.proxies[req.service]!.pick(this.sim.now);
    if (pod === null) return this.deliverNow(req, 502, 'no_endpoints');
    this.sendTry(req, pod);
  };

  /**
   * Fails every request inside a pod that is gone. On the ingress path the
   * ingress learns it one hop after ts and answers 502, one more hop to the
   * client; via a ClusterIP the caller learns it one hop after ts; a
   * LoadBalancer client sees a reset two hops after ts (through the node).
   */
  podGone(pod: Pod): void {
    for (const req of pod.serving) {
      this.sim.cancel(req.serviceEvent);
      this.killed(req as Request);
    }
    for (let i = pod.waitingHead; i < pod.waiting.length; i++) this.killed(pod.waiting[i] as Request);
    // Most pods go holding nothing: setting an array's length costs a builtin call even when it changes nothing.
    if (pod.serving.length > 0) pod.serving.length = 0;
    if (pod.waiting.length > 0) pod.waiting.length = 0;
    pod.waitingHead = 0;
  }

  private killed(req: Request): void {
    if (req.via === 'loadBalancer') this.backThroughNode(req, 'reset');
    else if (req.via === 'clusterIP') this.answer(req, 502, 'killed');
    else this.sim.after(this.hop(), Kind.killedAtIngress, req.pod!.id, this.killedAtIngress, req);
  }

  private readonly killedAtIngress = (req: Request): void => {
    this.answer(req, 502, 'killed');
  };

  /** The LoadBalancer hands the connection to a node; its kube-proxy picks, or rejects it (refused). */
  private readonly atNode = (req: Request): void => {
    const nodes = this.nodes[req.service]!;
    if (nodes.length > 1) req.worker = Math.floor(this.rng.node() * nodes.length);
    const pod = nodes[req.worker].pick(this.sim.now);
    if (pod === null) {
      req.status = 502;
      req.cause = 'refused';
      this.toClient(req, this.hop());
      return;
    }
    this.sendTry(req, pod);
  };

  /** A connection failure at the pod reaches the client through the node, two hops later. */
  private backThroughNode(req: Request, cause: FailureCause): void {
    req.status = 502;
    req.cause = cause;
    this.toClient(req, this.hop() + this.hop());
  }

  private hop(): number {
    return this.settings.latency.sample(this.rng.latency);
  }

  private readonly atIngress = (req: Request): void => {
    const workers = this.settings.workers;
    if (workers > 1) req.worker = Math.floor(this.rng.worker() * workers);
    this.tryNext(req);
  };

  /** At the ingress: pick a backend from the list in force now, or give up. */
  private tryNext(req: Request): void {
    const b = this.balancers[req.worker];
    if (b.lists[req.service].length === 0) {
      if (req.tries === 0) this.answer(req, 503, 'no_endpoints');
      else this.answer(req, 502, req.cause);
      return;
    }
    const pod = b.pick(req.service);
    b.policy.tryStarted(pod);
    req.counted = true;
    this.observer?.(req, pod);
    this.sendTry(req, pod);
  }

  private sendTry(req: Request, pod: Pod): void {
    req.tries++;
    req.pod = pod;
    req.trySent = this.sim.now;
    this.sim.after(this.hop(), Kind.tryAtPod, pod.id, this.atPod, req);
  }

  private readonly atPod = (req: Request): void => {
    const pod = req.pod!;
    const now = this.sim.now;
    if (now >= pod.gone) {
      // No answer from a torn-down network: the sender waits connectTimeout from sending.
      this.triesTimedOut++;
      this.signals.tryFailed.emit(req);
      if (req.via === 'loadBalancer') return; // an outside client waits for its own timeout
      const t = Math.max(now, req.trySent + this.settings.connectTimeout);
      this.sim.at(t, Kind.tryTimeout, pod.id, this.timedOut, req);
    } else if (now < pod.listening || now >= pod.closed) {
      // Not listening yet, or its listener closed (draining): refused.
      this.triesRefused++;
      this.signals.tryFailed.emit(req);
      if (req.via === 'loadBalancer') return this.backThroughNode(req, 'refused');
      req.cause = 'refused';
      this.sim.after(this.hop(), Kind.tryFailedAtIngress, pod.id, this.tryFailed, req);
    } else this.accept(pod, req);
  };

  private readonly timedOut = (req: Request): void => {
    req.cause = 'timeout';
    this.tryFailed(req);
  };

  /** A refusal is back, or a try timed out: retry through the ingress, or fail. */
  private readonly tryFailed = (req: Request): void => {
    const status = req.cause === 'timeout' ? 504 : 502;
    if (req.via === 'clusterIP') return this.deliverNow(req, status, req.cause);
    this.release(req);
    if (req.tries < this.settings.tries) this.tryNext(req);
    else this.answer(req, status, req.cause);
  };

  private accept(pod: Pod, req: Request): void {
    if (this.settings.errorRate > 0 && this.rng.noise() < this.settings.errorRate) req.noisy = true;
    if (pod.serving.length < pod.implementation.concurrency) this.startService(pod, req);
    else pod.waiting.push(req);
  }

  private startService(pod: Pod, req: Request): void {
    pod.serving.push(req);
    const d = pod.implementation.serviceTime.sample(this.rng.service[req.service]);
    req.serviceEvent = this.sim.after(d, Kind.serviceDone, pod.id, this.served, req);
  }

  private readonly served = (req: Request): void => {
    const pod = req.pod!;
    removeInOrder(pod.serving, req);
    req.serviceEvent = -1;
    if (req.noisy) {
      req.status = 500;
      req.cause = 'noise';
    } else {
      req.status = this.app.serve(req, pod);
      req.cause = '';
    }
    if (req.via === 'clusterIP') this.toClient(req, this.hop());
    else if (req.via === 'ingress' && this.balancers[req.worker].policy.tracksTries) this.sim.after(this.hop(), Kind.responseAtIngress, req.id, this.responseAtIngress, req);
    else this.toClient(req, this.hop() + this.hop());
    this.startNextWaiting(pod);
    if (pod.draining && !pod.holdsRequests()) this.drained?.(pod);
  };

  private startNextWaiting(pod: Pod): void {
    if (pod.waitingHead >= pod.waiting.length) return;
    const next = pod.waiting[pod.waitingHead++] as Request; // only the router puts requests there
    if (pod.waitingHead === pod.waiting.length) {
      pod.waiting.length = 0;
      pod.waitingHead = 0;
    }
    this.startService(pod, next);
  }

  private readonly responseAtIngress = (req: Request): void => {
    this.release(req);
    this.toClient(req, this.hop());
  };

  /** The ingress (or, via ClusterIP, the failed connection) decides now; the client hears one hop later. */
  private answer(req: Request, status: number, cause: FailureCause | ''): void {
    this.release(req);
    req.status = status;
    req.cause = cause;
    this.toClient(req, this.hop());
  }

  /** The client itself learns the failure now (ClusterIP rejection, refusal or timeout). */
  private deliverNow(req: Request, status: number, cause: FailureCause | ''): void {
    req.status = status;
    req.cause = cause;
    this.toClient(req, 0);
  }

  /** The try's outcome is back at the ingress: its worker's policy hears it. */
  private release(req: Request): void {
    if (!req.counted) return;
    this.balancers[req.worker].policy.tryEnded(req.pod!);
    req.counted = false;
  }

  /**
   * The response reaches the client `delay` from now: at that event, or handed over now to a client that
   * hears ahead. Not ahead when hops draw their latency: the client's next hop would be drawn earlier
   * than at its send, and the latency stream would go to the hops in another order.
   */
  private toClient(req: Request, delay: number): void {
    if (!this.ahead(req)) {
      this.sim.after(delay, Kind.responseAtClient, req.id, this.atClient, req);
      return;
    }
    req.end = this.sim.now + delay;
    req.client.receive(req);
  }

  private ahead(req: Request): boolean {
    return req.client.hearsAhead === true && !this.settings.latency.draws;
  }

  private readonly atClient = (req: Request): void => {
    req.end = this.sim.now;
    req.client.receive(req);
  };
}

/** Removes `x` keeping the order (kills answer in arrival order); unlike splice, allocates nothing. */
function removeInOrder<T>(list: T[], x: T): void {
  let i = list.indexOf(x);
  for (; i < list.length - 1; i++) list[i] = list[i + 1];
  list.pop();
}
