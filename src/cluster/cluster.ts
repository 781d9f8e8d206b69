/**
 * The cluster: Deployments, their EndpointSlices, the ingress controller and
 * its balancers, kube-proxy views, diversifiers and the request router,
 * wired together from a scenario. It boots at t = 0 and starts its actors
 * (workloads, attackers: whoever sends requests) at t0, the first instant at
 * which every service has R listening pods in every balancer's lists (and,
 * behind a LoadBalancer, in every node's kube-proxy view).
 */
import { sampler } from '../engine/distributions.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Scenario } from '../schema/schema.ts';
import { BackendStats } from './backend-stats.ts';
import { Balancer } from './ingress-balancer.ts';
import { balancingPolicy } from './balancing.ts';
import { Deployment, type DeploymentHooks } from './deployment.ts';
import { IngressController } from './ingress-controller.ts';
import { KubeProxy } from './kube-proxy.ts';
import type { Pod } from './pod.ts';
import type { Application, Request } from './request.ts';
import { rotation, type Rotation } from './rotation.ts';
import { Router } from './router.ts';
import { arrayOf, mapped } from '../util/arrays.ts';
import { routerSettings, serviceSettings } from './settings.ts';
import { PodSignals, RequestSignals } from './signals.ts';

/** Something that acts on the cluster from t0: a workload, an attacker. */
export interface Actor {
  start(): void;
}

export interface ClusterOptions {
  /** Keep every pod ever created (for traces). */
  trace: boolean;
  /** Services reached through a ClusterIP by some workload step. */
  clusterIPServices: ReadonlySet<string>;
  /** Services reached from outside through a LoadBalancer (or NodePort) Service. */
  loadBalancerServices?: ReadonlySet<string>;
}

export class Cluster {
  readonly deployments: Deployment[];
  readonly balancers: Balancer[];
  readonly controller: IngressController;
  readonly proxies: (KubeProxy | null)[];
  /** Per service behind a LoadBalancer, the kube-proxy view of each node. */
  readonly nodeProxies: (KubeProxy[] | null)[];
  readonly diversifiers: Rotation[];
  readonly router: Router;
  readonly backendStats: BackendStats;
  readonly history: Pod[] | null;
  /** Start of the workload and the diversifiers; NaN until reached. */
  t0 = NaN;
  /** Started at t0 in the order added, after the diversifiers. */
  private readonly actors: Actor[] = [];
  /** What happens to pods and requests, for observers (attackers, tests). */
  readonly pods = new PodSignals();
  readonly requests = new RequestSignals();
  private nextRequestId = 0;

  constructor(
    private readonly sim: Simulation,
    streams: RandomStreams,
    scenario: Scenario,
    app: Application,
    options: ClusterOptions,
  ) {
    const services = serviceSettings(scenario); // cached per scenario: every replication shares it
    const ing = scenario.ingress;
    this.history = options.trace ? [] : null;
    const hooks: DeploymentHooks = {
      sliceChanged: (service, pod, change, effective) => this.sliceChanged(service, pod, change, effective),
      podGone: (pod) => this.podGone(pod),
      podListening: (pod) => {
        this.checkStart();
        // A pod whose listener closed (or that is gone) before its application came up never listens.
        if (this.sim.now < pod.closed) this.pods.listening.emit(pod);
      },
    };
    const ids = { next: 0 };
    this.deployments = mapped(services, (s, i) => new Deployment(sim, streams, i, s, ids, hooks, this.pods, this.history));
    const pollRng = streams.stream('ingress/poll');
    const pickRng = streams.stream('lb/ingress');
    this.balancers = arrayOf(
      ing.workers,
      (w) => new Balancer(w, services.length, pollRng() * ing.pollInterval, balancingPolicy(ing.policy, services.length, pickRng)),
    );
    this.backendStats = new BackendStats(services.length);
    this.controller = new IngressController(sim, this.deployments, this.balancers, ing, (b) => this.reloaded(b));
    const proxyDelay = sampler(scenario.proxy.syncDelay);
    this.proxies = mapped(services, (s) =>
      options.clusterIPServices.has(s.name)
        ? new KubeProxy(sim, proxyDelay, streams.stream(`proxy/sync/${s.name}`), streams.stream(`proxy/${s.name}`))
        : null,
    );
    const lb = options.loadBalancerServices ?? new Set<string>();
    this.nodeProxies = mapped(services, (s) =>
      lb.has(s.name)
        ? arrayOf(
            scenario.loadBalancer.nodes,
            (n) => new KubeProxy(sim, proxyDelay, streams.stream(`node${n}/proxy/sync/${s.name}`), streams.stream(`node${n}/proxy/${s.name}`)),
          )
        : null,
    );
    for (const nodes of this.nodeProxies) for (const p of nodes ?? []) p.onReady = () => this.checkStart();
    this.diversifiers = mapped(this.deployments, (d) =>
      rotation(sim, d, d.settings.diversifier, streams.stream(`diversifier/${d.name}`), streams.stream(`jitter/${d.name}`)),
    );
    this.router = new Router(
      sim,
      routerSettings(scenario),
      {
        latency: streams.stream('latency'),
        worker: streams.stream('ingress/worker'),
        noise: streams.stream('noise'),
        node: streams.stream('loadBalancer/node'),
        service: mapped(services, (s) => streams.stream(`service/${s.name}`)),
      },
      this.balancers,
      this.proxies,
      app,
      this.nodeProxies,
      this.requests,
    );
    this.router.drained = (pod) => this.deployments[this.serviceIndex(pod.service)].drained(pod);
  }

  /** Index of a service by name, or -1. */
  serviceIndex(name: string): number {
    return this.deployments.findIndex((d) => d.name === name);
  }

  /** Creates the initial replicas (at t = 0). */
  boot(): void {
    for (const d of this.deployments) d.start();
  }

  /** Adds an actor to start at t0 (before boot). */
  addActor(actor: Actor): void {
    this.actors.push(actor);
  }

  /** A request id unique in the replication, in sending order across actors. */
  requestId(): number {
    return this.nextRequestId++;
  }

  send(req: Request): void {
    this.router.send(req);
  }

  private podGone(pod: Pod): void {
    this.router.podGone(pod);
    this.pods.gone.emit(pod);
  }

  /** Ends the measurement (at the last response). */
  finish(): void {
    this.backendStats.finish(this.sim.now);
  }

  private sliceChanged(service: number, pod: Pod, change: 'ready' | 'deleted', effective: boolean): void {
    this.controller.sliceChanged();
    this.proxies[service]?.sliceChanged(pod, change, effective);
    const nodes = this.nodeProxies[service];
    if (nodes !== null) for (const p of nodes) p.sliceChanged(pod, change, effective);
  }

  private reloaded(b: Balancer): void {
    if (b.worker === 0) this.backendStats.reloaded(this.sim.now, b.lists);
    this.checkStart();
  }

  private checkStart(): void {
    if (!Number.isNaN(this.t0) || !this.everyServiceListening()) return;
    this.t0 = this.sim.now;
    for (const d of this.deployments) d.watchListening = false;
    this.backendStats.start(this.t0);
    for (const d of this.diversifiers) d.start();
    for (const a of this.actors) a.start();
  }

  private everyServiceListening(): boolean {
    const now = this.sim.now;
    for (const b of this.balancers) {
      for (let s = 0; s < this.deployments.length; s++) {
        let listening = 0;
        for (const p of b.lists[s]) if (p.listening <= now) listening++;
        if (listening < this.deployments[s].settings.replicas) return false;
      }
    }
    // A service behind a LoadBalancer also waits for every node's kube-proxy view.
    for (let s = 0; s < this.deployments.length; s++) {
      for (const p of this.nodeProxies[s] ?? []) {
        let listening = 0;
        for (const pod of p.view) if (pod.listening <= now) listening++;
        if (listening < this.deployments[s].settings.replicas) return false;
      }
    }
    return true;
  }
}
