/**
 * An attacker: an actor on the cluster that sends exploits (and, for
 * `fingerprint`, probes) every `interval` from t0 + start until the horizon,
 * through the same routing, balancing, retries and failures as user traffic
 * (README "Attackers"). One class covers every kind but `pseudo` (which is
 * the dataset's malicious records): a kind is a chain of stages (lateral: the
 * chain's services; the others: one stage, the target), an exploit time
 * (persistent, fingerprint: 0, a compromised pod is a foothold at once), and
 * whether it stops at its first compromise (persistent, fingerprint).
 */
import { Kind } from '../schema/event-kinds.ts';
import type { Actor, Cluster } from '../cluster/cluster.ts';
import type { Pod } from '../cluster/pod.ts';
import { isFailure, newRequest, Status, type Client, type Request, type Via } from '../cluster/request.ts';
import { sampler, type Sampler } from '../engine/distributions.ts';
import type { RandomStreams, Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { AttackCounts } from '../metrics/attack-counts.ts';
import type { Attacker as AttackerSettings } from '../schema/schema.ts';
import { minInterval } from '../schema/limits.ts';
import type { Exploit } from '../cluster/exploit.ts';
import { mapped } from '../util/arrays.ts';

interface Attack extends Exploit {
  readonly stage: number;
  /** The foothold it was sent from (null: from outside). */
  readonly from: Pod | null;
  /** fingerprint: its place in the attacker's sending order. */
  readonly seq: number;
}

interface Foothold {
  readonly pod: Pod;
  readonly stage: number;
  /** When the install finished (NaN while pending). */
  since: number;
}

export class Attacker implements Actor, Client {
  readonly counts: AttackCounts;
  private readonly stages: number[];
  private readonly exploitTime: Sampler | null;
  private readonly stopAtCompromise: boolean;
  private readonly rng: { interval: Rng; install: Rng; reveal: Rng | null };
  private readonly interval: Sampler;
  /** Footholds held or installing, in the order gained. */
  private footholds: Foothold[] = [];
  private held = 0;
  private end = NaN;
  /** fingerprint: what its last requests revealed (1 vulnerable, 0 not, -1 unknown), by its request order. */
  private readonly seen: number[] = [];
  private readonly cycle: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: Cluster,
    private readonly settings: AttackerSettings,
    /** Position in the scenario's attack list (the events' entity). */
    private readonly index: number,
    streams: RandomStreams,
    private readonly horizon: number,
  ) {
    const name = attackerName(settings);
    const services = settings.kind === 'lateral' ? settings.chain : [settings.target];
    this.stages = mapped(services, (s) => cluster.serviceIndex(s));
    this.exploitTime = settings.kind === 'foothold' || settings.kind === 'lateral' ? sampler(settings.exploitTime) : null;
    this.stopAtCompromise = settings.kind === 'persistent' || settings.kind === 'fingerprint';
    this.interval = sampler(settings.interval);
    this.rng = {
      interval: streams.stream(`attack/${name}/interval`),
      install: streams.stream(`attack/${name}/install`),
      reveal: settings.kind === 'fingerprint' ? streams.stream(`attack/${name}/reveal`) : null,
    };
    this.cycle = cluster.deployments[this.stages[0]].settings.replicas;
    this.counts = {
      attempts: 0, requests: 0, compromisedAt: NaN, footholds: 0, footholdSeconds: 0, maxFootholds: 0,
      stageTimes: mapped(this.stages, () => NaN), horizon,
    };
    cluster.pods.gone.on((pod) => this.podGone(pod));
  }

  start(): void {
    const t0 = this.sim.now;
    this.end = t0 + this.horizon;
    const first = t0 + this.settings.start;
    if (first <= this.end) this.sim.at(first, Kind.attackAttempt, this.index, this.attempt, null);
  }

  private readonly attempt = (): void => {
    if (this.stopAtCompromise && !Number.isNaN(this.counts.compromisedAt)) return;
    this.send();
    // At least minInterval apart: a distribution that can draw 0 must not stall the clock.
    const next = this.sim.now + Math.max(minInterval, this.interval.sample(this.rng.interval));
    if (next <= this.end) this.sim.at(next, Kind.attackAttempt, this.index, this.attempt, null);
  };

  /** Attacks the stage after its deepest foothold: from outside, or from that foothold through the ClusterIP. */
  private send(): void {
    let from: Foothold | null = null;
    for (const f of this.footholds) if (!Number.isNaN(f.since) && (from === null || f.stage >= from.stage)) from = f;
    const stage = from === null ? 0 : from.stage + 1;
    if (stage >= this.stages.length) return; // the whole chain is held: nothing left to attack
    const seq = this.seen.length;
    const probe = this.rng.reveal !== null && !this.expectVulnerable();
    const via: Via = from === null ? this.settings.via : 'clusterIP';
    const payload: Attack = { exploit: true, probe, handledAt: NaN, stage, from: from?.pod ?? null, seq };
    const c = this.counts;
    c.requests++;
    if (!probe) c.attempts++;
    this.cluster.send(newRequest(this.cluster.requestId(), this, this.stages[stage], via, this.sim.now, payload));
  }

  /** fingerprint: with R pods in turn (round-robin), the next backend is the one R requests ago. */
  private expectVulnerable(): boolean {
    const i = this.seen.length - this.cycle;
    this.seen.push(-1);
    return i >= 0 && this.seen[i] === 1;
  }

  readonly receive = (req: Request): void => {
    const a = req.payload as Attack;
    if (a.from !== null && a.from.gone <= this.sim.now) return; // the calling pod is gone: nobody hears the answer
    if (this.rng.reveal !== null) this.observe(req, a);
    if (a.probe || req.status !== Status.created) return;
    this.compromised(req.pod!, a.stage, a.handledAt);
  };

  private observe(req: Request, a: Attack): void {
    if (isFailure(req.status)) return; // the ingress answered, not a pod
    if (!a.probe) this.seen[a.seq] = req.status === Status.created ? 1 : 0; // an exploit's answer always tells
    else if (this.rng.reveal!() < this.settings.reveal) this.seen[a.seq] = req.pod!.implementation.vulnerable ? 1 : 0;
  }

  private compromised(pod: Pod, stage: number, handledAt: number): void {
    if (this.footholds.some((f) => f.pod === pod)) return; // held or installing already
    const f: Foothold = { pod, stage, since: NaN };
    this.footholds.push(f);
    if (this.exploitTime === null) return this.install(f, handledAt);
    const at = Math.max(this.sim.now, handledAt + this.exploitTime.sample(this.rng.install));
    this.sim.at(at, Kind.attackInstall, this.index, this.installed, f);
  }

  private readonly installed = (f: Foothold): void => {
    this.install(f, this.sim.now);
  };

  /** The install is done at `t` if its pod still runs (a Terminating pod serving its grace counts) and the horizon is not past. */
  private install(f: Foothold, t: number): void {
    if (f.pod.gone <= t || t > this.end) {
      this.footholds.splice(this.footholds.indexOf(f), 1);
      return;
    }
    f.since = t;
    const c = this.counts;
    c.footholds++;
    c.maxFootholds = Math.max(c.maxFootholds, ++this.held);
    if (Number.isNaN(c.stageTimes[f.stage])) c.stageTimes[f.stage] = t - this.cluster.t0;
    if (f.stage === this.stages.length - 1 && Number.isNaN(c.compromisedAt)) c.compromisedAt = t - this.cluster.t0;
    // Handled by a pod that was gone before its answer came back: held from handling until then.
    if (f.pod.gone <= this.sim.now) this.podGone(f.pod);
  }

  private podGone(pod: Pod): void {
    const i = this.footholds.findIndex((f) => f.pod === pod);
    if (i < 0) return;
    const f = this.footholds[i];
    if (Number.isNaN(f.since)) return; // installing: the install finds its pod gone
    this.footholds.splice(i, 1);
    this.held--;
    this.counts.footholdSeconds += Math.max(0, Math.min(pod.gone, this.end) - f.since);
  }

  /** Ends the measurement: footholds still held count up to the horizon. */
  finish(): void {
    for (const f of this.footholds) if (!Number.isNaN(f.since)) this.counts.footholdSeconds += Math.max(0, this.end - f.since);
    this.footholds = [];
    this.held = 0;
  }
}

/** An attacker's name: its own, or its kind. */
export function attackerName(a: AttackerSettings): string {
  return a.name ?? a.kind;
}
