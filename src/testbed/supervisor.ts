/**
 * Pods as processes, with a Deployment's ReplicaSet semantics (README,
 * "Cluster"): R pods per service, each the entrypoint (apps/entrypoint.sh)
 * on a loopback port of its own; a deleted pod is Terminating at once (not
 * Ready, no longer a replica) and its replacement is created after
 * `controllerDelay`; deletion sends SIGTERM to the entrypoint (PID 1 of the
 * pod) and SIGKILL to its whole process group after `grace`. Readiness is
 * the container running (`none`) or a real HTTP probe (`probe`). Every Ready
 * change and deletion goes to the EndpointPublisher.
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { EndpointPublisher } from './endpoints.ts';
import { freePort, killGroup, listening, spawnGroup } from './procs.ts';
import { sourceFolder } from '../util/package-root.ts';

export const appsDir = sourceFolder('testbed', 'apps'); // shipped beside the sources, also when bundled

export interface ServiceSpec {
  name: string;
  replicas: number;
  /** "python:1 node:1 php:1" */
  implementations: string;
  sigterm: 'ignore' | 'exit' | 'drain';
  drain: number;
  grace: number;
  readiness: 'none' | 'probe';
  probePeriod: number;
  initialDelay: number;
  /** A draw of the ReplicaSet's delay (s). */
  controllerDelay: () => number;
  /** A seed for the entrypoint's pick of the implementation. */
  implSeed: () => number;
}

/** One pod's life, in seconds of the run's clock; undefined until it happens. */
export interface RealPod {
  readonly name: string;
  readonly service: string;
  readonly seq: number;
  readonly port: number;
  readonly address: string;
  readonly created: number;
  pid: number;
  implementation?: string;
  listening?: number;
  ready?: number;
  deleted?: number;
  gone?: number;
  /** Exited without being deleted (a crash). */
  crashed?: boolean;
}

export class Supervisor {
  /** Every pod ever created, in creation order. */
  readonly pods: RealPod[] = [];
  readonly warnings: string[] = [];
  private seq = 0;
  /** Ports of this run's pods: never reused, so an address names one pod in the trace. */
  private readonly ports = new Set<number>();
  private stopping = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly goneWaiters = new Map<RealPod, (() => void)[]>();

  constructor(
    private readonly specs: readonly ServiceSpec[],
    private readonly env: Record<string, string>,
    private readonly endpoints: EndpointPublisher,
    private readonly clock: () => number,
    /** Epoch seconds of the clock's zero. */
    private readonly epoch: number,
  ) {}

  /** The earliest evidence that the pod listens: its own report or a successful connection. */
  private listened(pod: RealPod, at: number): void {
    if (pod.listening === undefined || at < pod.listening) pod.listening = Math.max(pod.created, at);
  }

  async start(): Promise<void> {
    for (const s of this.specs) for (let i = 0; i < s.replicas; i++) await this.create(s);
  }

  /** The service's pods that exist (Terminating ones included), in creation order: a label-selector list. */
  list(service: string): RealPod[] {
    return this.pods.filter((p) => p.service === service && p.gone === undefined);
  }

  /** Pods of the service that listen and are not Terminating. */
  serving(service: string): RealPod[] {
    return this.list(service).filter((p) => p.deleted === undefined && p.listening !== undefined);
  }

  /** Deletes a pod: false (ignored) when it is already Terminating or gone. */
  delete(pod: RealPod): boolean {
    if (pod.deleted !== undefined || pod.gone !== undefined) return false;
    pod.deleted = this.clock();
    this.endpoints.deleted(pod);
    try {
      process.kill(pod.pid, 'SIGTERM'); // to PID 1 of the pod only, as the kubelet does
    } catch {
      // already exited
    }
    const spec = this.spec(pod.service);
    this.after(spec.grace, () => killGroup(pod.pid));
    if (!this.stopping) this.after(spec.controllerDelay(), () => void this.create(spec));
    return true;
  }

  /** Resolves when the pod is gone. */
  waitGone(pod: RealPod): Promise<void> {
    if (pod.gone !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.goneWaiters.set(pod, [...(this.goneWaiters.get(pod) ?? []), resolve]));
  }

  /** Kills every pod at once (the end of a run). */
  stop(): void {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    for (const p of this.pods) if (p.gone === undefined) killGroup(p.pid);
  }

  private spec(service: string): ServiceSpec {
    return this.specs.find((s) => s.name === service) as ServiceSpec;
  }

  private after(seconds: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, seconds * 1000);
    this.timers.add(t);
  }

  private async create(spec: ServiceSpec): Promise<void> {
    if (this.stopping) return;
    let port = await freePort();
    while (this.ports.has(port)) port = await freePort();
    this.ports.add(port);
    const seq = this.seq++;
    const name = `${spec.name}-${seq}`;
    const child = spawnGroup('/bin/sh', [join(appsDir, 'entrypoint.sh')], {
      env: {
        ...process.env, ...this.env, SERVICE: spec.name, PORT: String(port), POD_NAME: name,
        IMPLEMENTATIONS: spec.implementations, SIGTERM_MODE: spec.sigterm, DRAIN: String(spec.drain), IMPL_SEED: String(spec.implSeed()),
      },
    });
    const pod: RealPod = { name, service: spec.name, seq, port, address: `127.0.0.1:${port}`, created: this.clock(), pid: child.pid ?? -1 };
    this.pods.push(pod);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^implementation (\S+)/.exec(line);
      if (m) pod.implementation = m[1];
      // Python and Node.js say when they listen (epoch seconds): exact where polling lags on a busy machine.
      const l = /^listening (\d+(?:\.\d+)?)/.exec(line);
      if (l) this.listened(pod, Number(l[1]) - this.epoch);
    });
    child.stderr!.on('data', (d: Buffer) => this.warnings.push(`${name}: ${d.toString().trim().slice(0, 300)}`));
    child.once('exit', () => {
      pod.gone = this.clock();
      if (pod.deleted === undefined && !this.stopping) {
        pod.crashed = true;
        this.warnings.push(`${name} exited without being deleted; replaced`);
        this.delete(pod);
      }
      for (const w of this.goneWaiters.get(pod) ?? []) w();
      this.goneWaiters.delete(pod);
    });
    void this.watch(pod, spec);
  }

  /**
   * Makes the pod Ready by the spec's readiness, and notes when the
   * application listens, also after a deletion (a pod deleted while it
   * starts still starts: leaving it out would bias the start-up samples).
   */
  private async watch(pod: RealPod, spec: ServiceSpec): Promise<void> {
    const alive = () => pod.gone === undefined && !this.stopping;
    if (spec.readiness === 'none') this.becomeReady(pod); // Ready when the container runs
    else this.probe(pod, spec, 0);
    while (alive() && pod.listening === undefined) {
      const before = this.clock();
      if (await listening(pod.port, 100)) {
        this.listened(pod, before);
        return;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Probe k at created + initialDelay + k * probePeriod (the kubelet's fixed schedule). */
  private probe(pod: RealPod, spec: ServiceSpec, k: number): void {
    const at = pod.created + spec.initialDelay + k * spec.probePeriod;
    this.after(Math.max(0, at - this.clock()), () => {
      if (pod.deleted !== undefined || pod.gone !== undefined || this.stopping) return;
      fetch(`http://${pod.address}/healthz`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.status === 200)
        .catch(() => false)
        .then((ok) => (ok ? this.becomeReady(pod) : this.probe(pod, spec, k + 1)));
    });
  }

  private becomeReady(pod: RealPod): void {
    if (pod.deleted !== undefined) return;
    pod.ready = this.clock();
    this.endpoints.ready(pod);
  }
}
