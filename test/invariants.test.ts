/**
 * Invariants of the cluster model (docs/model.md sections 3-7), checked after
 * every event and at every ingress try over randomized scenarios: varied
 * seeds, periods (0.5 and 1 s included), replicas, policies, workers,
 * readiness, SIGTERM handling, victim selection, noise and ClusterIP steps.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Cluster } from '../src/cluster/cluster.ts';
import type { LeastRequest } from '../src/cluster/balancing.ts';
import { KubeProxy } from '../src/cluster/kube-proxy.ts';
import { Pod } from '../src/cluster/pod.ts';
import { serviceSettings } from '../src/cluster/settings.ts';
import { sampler } from '../src/engine/distributions.ts';
import type { Request } from '../src/cluster/request.ts';
import { RandomStreams, type Rng } from '../src/engine/random.ts';
import { Simulation } from '../src/engine/simulation.ts';
import { failureCauses, outcomes, recordTypes } from '../src/schema/metric-names.ts';
import type { Scenario } from '../src/schema/schema.ts';
import type { Call } from '../src/workload/application.ts';
import { datasetTotals } from '../src/dataset/dataset.ts';
import { Cell, paper, type Run } from './helpers/sim.ts';

// ---------------------------------------------------------------- the scenarios

const steps = ['user.insert', 'project.lookup', 'project.insert', 'task.lookup', 'task.insert'];

/** The `--set` overrides of randomized scenario i; the categorical settings cycle so each value is covered. */
function randomSets(i: number, rng: Rng): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const sigterm = (['ignore', 'exit', 'drain'] as const)[i % 3];
  const sets = [
    `seed=${int(1, 1e9)}`,
    `cluster.sigterm=${sigterm}`,
    `diversifier.select=${['any', 'ready', 'oldest'][Math.floor(i / 3) % 3]}`,
    `cluster.readiness=${['none', 'probe'][Math.floor(i / 9) % 2]}`,
    `diversifier.waitForDeletion=${i % 4 === 3}`,
    `diversifier.period=${[0.5, 1, 1, 2, 3, 5, 10, 'inf'][i % 8]}`,
    `cluster.replicas=${int(1, 5)}`,
    `ingress.policy=${pick(['round-robin', 'random', 'least-request'])}`,
    `ingress.workers=${int(1, 3)}`,
    `ingress.tries=${int(1, 3)}`,
    `noise.errorRate=${pick([0, 0, 0.01, 0.05])}`,
    `workload.threads=${int(1, 3)}`,
    `workload.dataset.users=${int(2, 4)}`,
    `workload.dataset.maliciousUsers=${int(0, 1)}`,
    `workload.dataset.projectsPerUser=${int(1, 2)}`,
    `workload.dataset.maliciousProjects=${int(0, 1)}`,
    `workload.dataset.tasksPerProject=${int(4, 25)}`,
    `workload.dataset.maliciousTasks=${int(0, 3)}`,
  ];
  // Queues at the pods (concurrency 1, slow service), faster or burstier syncs, shorter timeouts.
  if (rng() < 0.3) sets.push(`cluster.concurrency=${pick([1, 2])}`, `cluster.serviceTime={dist: exponential, mean: ${pick([0.05, 0.3])}}`);
  if (rng() < 0.3) sets.push(`ingress.syncRate=${pick([0.1, 2])}`, `ingress.syncBurst=${pick([1, 3])}`, `ingress.pollInterval=${pick([0.25, 2])}`);
  if (rng() < 0.2) sets.push(`ingress.connectTimeout=${pick([0.5, 2])}`);
  // Delays beyond the grace (60 s) are capped by it.
  if (sigterm === 'exit') sets.push(`cluster.shutdownDelay=${pick([0, 0, 0.2, 2, 60])}`);
  if (sigterm === 'drain') sets.push(`cluster.drain=${pick([0.1, 1, 5, 60])}`);
  if (rng() < 0.25) sets.push(`diversifier.jitter=${pick([0.2, 1])}`);
  if (rng() < 0.3) sets.push(`cluster.grace=${pick([2, 10])}`);
  if (rng() < 0.2) sets.push(`cluster.probePeriod=${pick([1, 3])}`);
  // A third of the scenarios send some steps through a ClusterIP.
  if (i % 3 === 1) for (const s of steps) if (rng() < 0.5) sets.push(`workload.via.${s}=clusterIP`);
  return sets;
}

const configRng = new RandomStreams(20240601, 0).stream('invariant-configs');
const scenarios: { label: string; scenario: Scenario }[] = Array.from({ length: 48 }, (_, i) => {
  const sets = randomSets(i, configRng);
  return { label: `#${i} ${sets.join(' ')}`, scenario: paper(...sets) };
});

const usesClusterIP = (s: Scenario) => steps.some((p) => {
  const [type, step] = p.split('.') as ['user' | 'project' | 'task', 'insert' | 'lookup'];
  return (s.workload.via[type] as Record<string, string>)[step] === 'clusterIP';
});

/** The largest value a delay distribution of the scenario can take (uniform or constant here). */
function maxOf(d: Scenario['cluster']['endpointSliceDelay']): number {
  if (typeof d === 'number') return d;
  if (d.dist === 'uniform') return d.max;
  if (d.dist === 'constant') return d.value;
  throw new Error(`no bound for ${d.dist}`);
}

/** A slice change reaches every balancer within one token wait (1 / syncRate) and one poll interval. */
const propagationLag = (s: Scenario) => 1 / s.ingress.syncRate + s.ingress.pollInterval + 1e-9;

/** With sigterm ignore, a deleted pod leaves every list before the grace ends, when the lags allow it. */
const goneNeverListed = (s: Scenario) =>
  s.cluster.sigterm === 'ignore' && s.cluster.grace > maxOf(s.cluster.endpointSliceDelay) + propagationLag(s);

// ---------------------------------------------------------------- the watcher

interface TryRecord {
  readonly req: Request;
  readonly pod: Pod;
  /** When it reaches the pod (constant latency). */
  readonly arrival: number;
}

/** Checks the invariants after every event and at every try; remembers what the end-of-run checks need. */
class Watcher {
  readonly tries: TryRecord[] = [];
  /** Pods seen in an EndpointSlice, and when each one's deletion reached its slice. */
  private readonly everInSlice = new Set<Pod>();
  private readonly sliceDeletedAt = new Map<Pod, number>();
  private readonly sliceEnteredAt = new Map<Pod, number>();
  /** Per worker and service: the pods that have left that list. */
  private left: Set<Pod>[][] = [];
  private previous: (readonly Pod[])[][] = [];
  goneListed = false;
  emptyAfterT0 = false;
  t0Checked = false;
  private now = 0;

  constructor(
    private readonly label: string,
    private readonly s: Scenario,
    private readonly latency: number,
  ) {}

  private check(ok: boolean, message: string): void {
    if (!ok) throw new Error(`${this.label}\n  t=${this.now}: ${message}`);
  }

  /** Tries so far per worker and service: the round-robin position. */
  private readonly rrPosition = new Map<string, number>();

  readonly onTry = (req: Request, pod: Pod): void => {
    this.now = this.sim!.now; // a try happens inside an event, before afterEvent sees it
    this.tries.push({ req, pod, arrival: this.now + this.latency });
    const list = this.cluster!.balancers[req.worker].lists[req.service];
    if (this.s.ingress.policy === 'least-request') {
      // The pod had the fewest tries in flight from this worker (its own count already includes this try).
      const policy = this.cluster!.balancers[req.worker].policy as LeastRequest;
      const fewest = Math.min(...list.map((p) => policy.inFlight(p) - (p === pod ? 1 : 0)));
      this.check(policy.inFlight(pod) - 1 === fewest, `least-request picked pod ${pod.id} with more tries in flight than another`);
    }
    if (this.s.ingress.policy === 'round-robin') {
      // One position per worker and service, advanced on every try, retries included, modulo the current length.
      const key = `${req.worker}/${req.service}`;
      const k = this.rrPosition.get(key) ?? 0;
      this.rrPosition.set(key, k + 1);
      this.check(pod === list[k % list.length], `round robin picked pod ${pod.id}, not position ${k} of the list`);
    }
    this.check(req.via === 'ingress', 'only ingress tries pick from a balancer');
    this.check(list.includes(pod), `pod ${pod.id} tried by worker ${req.worker} is not in its current list`);
    this.check(req.tries < this.s.ingress.tries, `try ${req.tries + 1} exceeds ingress.tries`);
    if (req.worker === 0) {
      this.check(pod.endpointsIn <= this.now && this.now < pod.endpointsOut, `pod ${pod.id} routed outside its endpoint interval [${pod.endpointsIn}, ${pod.endpointsOut})`);
    }
  };

  private cluster: Cluster | null = null;
  private sim: Simulation | null = null;

  readonly afterEvent = (cluster: Cluster, sim: Simulation): void => {
    this.cluster = cluster;
    this.sim = sim;
    this.now = sim.now;
    this.checkSlices(cluster);
    this.checkSyncs(cluster);
    this.checkReplicaSets(cluster);
    this.checkBalancers(cluster);
    this.checkPods(cluster);
    if (!this.t0Checked && !Number.isNaN(cluster.t0)) this.checkT0(cluster);
  };

  /** EndpointSlices hold Ready pods whose deletion has not reached them, in creation order. */
  private checkSlices(cluster: Cluster): void {
    const sliceDelay = maxOf(this.s.cluster.endpointSliceDelay);
    for (const d of cluster.deployments) {
      const pods = d.slice.pods;
      for (let i = 0; i < pods.length; i++) {
        const p = pods[i];
        if (!this.everInSlice.has(p)) this.sliceEnteredAt.set(p, this.now);
        this.everInSlice.add(p);
        this.check(p.service === d.name, `pod ${p.id} of ${p.service} in the slice of ${d.name}`);
        this.check(i === 0 || pods[i - 1].id < p.id, 'slice not in creation order');
        this.check(p.ready <= this.now, `never-Ready pod ${p.id} in the slice`);
        this.check(!p.sliceDeleted, `pod ${p.id} whose deletion reached the slice is still in it`);
        // A pod can be gone while its deletion is still on its way to the slice (sigterm exit/drain shorter than the delay).
        if (p.gone <= this.now) this.check(this.now - p.deleted <= sliceDelay, `pod ${p.id} gone at ${p.gone} still in the slice`);
      }
      for (const p of d.pods) {
        if (p.sliceDeleted && !this.sliceDeletedAt.has(p)) this.sliceDeletedAt.set(p, this.now);
        this.check(p.inSlice === pods.includes(p), `pod ${p.id} inSlice flag disagrees with the slice`);
      }
    }
  }

  /**
   * A Terminating pod does not count as a replica: non-Terminating pods plus
   * replacements on their way make R, and a replacement is on its way at most
   * controllerDelay after the deletion (docs/model.md section 3).
   */
  private checkReplicaSets(cluster: Cluster): void {
    const controllerDelay = maxOf(this.s.cluster.controllerDelay);
    cluster.deployments.forEach((d, i) => {
      const R = d.settings.replicas;
      const pending = cluster.diversifiers[i].effectiveKills - (d.created - R);
      const alive = d.pods.filter((p) => !p.terminating).length;
      this.check(alive + pending === R, `${d.name}: ${alive} live pods + ${pending} pending replacements != R = ${R}`);
      const recent = cluster.history!.filter((p) => p.service === d.name && p.deleted > this.now - controllerDelay).length;
      this.check(pending >= 0 && pending <= recent, `${d.name}: ${pending} replacements pending, ${recent} recent deletions`);
      for (let k = 0; k < d.pods.length; k++) {
        const p = d.pods[k];
        this.check(p.gone >= this.now, `gone pod ${p.id} still among the existing pods`);
        this.check(k === 0 || d.pods[k - 1].id < p.id, 'pods not in creation order');
      }
    });
  }

  /** Times at which a sync visibly changed the controller's view of some service. */
  readonly syncs: number[] = [];
  private views: (readonly Pod[])[] = [];

  /**
   * The controller syncs under its token bucket: at most syncBurst + L * syncRate
   * syncs in any window of length L. Balancers change lists only at their polls,
   * and only to lists the controller has synced.
   */
  private checkSyncs(cluster: Cluster): void {
    const views = cluster.controller.views;
    if (this.views.length === 0) this.views = views.slice(); // the empty views of t = 0
    if (views.some((v, i) => v !== this.views[i])) {
      const { syncRate, syncBurst } = this.s.ingress;
      this.syncs.push(this.now);
      const n = this.syncs.length;
      for (let i = 0; i < n - 1; i++) {
        const window = this.now - this.syncs[i];
        this.check(n - i <= syncBurst + window * syncRate + 1e-6, `${n - i} syncs in ${window} s exceed the token bucket`);
      }
    }
    this.views = views.slice();
    cluster.balancers.forEach((b, w) => {
      const prev = this.previous[w];
      if (prev === undefined || b.lists.every((l, s) => l === prev[s])) return;
      const k = (this.now - b.phase) / this.s.ingress.pollInterval;
      this.check(Math.abs(k - Math.round(k)) < 1e-6, `worker ${w} reloaded at ${this.now}, not a poll (phase ${b.phase})`);
      b.lists.forEach((l, s) => this.check(l === prev[s] || l === views[s], `worker ${w} took a list the controller never synced`));
    });
  }

  /** Balancer lists: only pods that were in the slice, in creation order, never back after leaving, and timely. */
  private checkBalancers(cluster: Cluster): void {
    const lag = propagationLag(this.s);
    const ignore = goneNeverListed(this.s);
    cluster.balancers.forEach((b, w) => {
      this.left[w] ??= b.lists.map(() => new Set<Pod>());
      this.previous[w] ??= b.lists.map(() => []);
      b.lists.forEach((list, s) => {
        const name = cluster.deployments[s].name;
        for (let i = 0; i < list.length; i++) {
          const p = list[i];
          this.check(p.service === name, `pod of ${p.service} listed for ${name}`);
          this.check(i === 0 || list[i - 1].id < p.id, 'backend list not in creation order');
          this.check(this.everInSlice.has(p), `worker ${w} lists pod ${p.id}, never in the slice`);
          this.check(!this.left[w][s].has(p), `pod ${p.id} came back to worker ${w}'s list`);
          const out = this.sliceDeletedAt.get(p);
          this.check(out === undefined || this.now <= out + lag, `pod ${p.id} still listed ${this.now - out!} s after its deletion reached the slice`);
          if (p.gone <= this.now) this.goneListed = true;
          if (ignore) this.check(p.gone > this.now, `gone pod ${p.id} listed by worker ${w} with sigterm ignore`);
        }
        for (const p of this.previous[w][s]) if (!list.includes(p)) this.left[w][s].add(p);
        this.previous[w][s] = list;
        if (list.length === 0 && !Number.isNaN(cluster.t0)) this.emptyAfterT0 = true;
        // Liveness: a pod in the slice for longer than the lag is listed by every worker.
        for (const p of cluster.deployments[s].slice.pods) {
          const since = this.sliceEnteredAt.get(p)!;
          this.check(this.now <= since + lag || list.includes(p), `pod ${p.id} in the slice since ${since} but not in worker ${w}'s list`);
        }
      });
    });
  }

  /** A pod serves at most `concurrency` requests; requests wait only when it is full; a gone pod holds none. */
  private checkPods(cluster: Cluster): void {
    for (const p of cluster.history!) {
      const waiting = p.waiting.length - p.waitingHead;
      this.check(p.serving.length <= p.implementation.concurrency, `pod ${p.id} serves ${p.serving.length} > concurrency`);
      this.check(waiting === 0 || p.serving.length === p.implementation.concurrency, `pod ${p.id} has a queue but a free slot`);
      if (p.gone < this.now) this.check(p.serving.length === 0 && waiting === 0, `gone pod ${p.id} still holds requests`);
    }
  }

  /** t0: every worker's list of every service holds R listening pods (docs/model.md section 10). */
  private checkT0(cluster: Cluster): void {
    this.t0Checked = true;
    this.check(cluster.t0 === this.now, 't0 is the time of the event that reached it');
    for (const b of cluster.balancers) {
      b.lists.forEach((list, s) => {
        const listening = list.filter((p) => p.listening <= this.now).length;
        this.check(listening >= cluster.deployments[s].settings.replicas, `t0 with ${listening} listening pods in a list`);
      });
    }
  }
}

// ---------------------------------------------------------------- end-of-run checks

function checkRun(label: string, s: Scenario, cell: Cell, run: Run, w: Watcher): void {
  const m = run.m;
  const { records, pods } = run.trace!;
  const requests = run.trace!.requests as readonly Request<Call>[]; // the test script's requests
  const at = (msg: string) => `${label}\n  ${msg}`;
  const ingressOnly = !usesClusterIP(s);
  const totals = datasetTotals(cell.dataset);
  const S = Object.keys(s.services).length;
  const R = s.cluster.replicas;
  const hop = s.latency as number;

  // Every record has exactly one outcome; outcome counts add up to the dataset per type.
  assert.ok(records.every((r) => r.outcome !== null), at('a record without an outcome'));
  for (const t of recordTypes) {
    assert.is(m[`${t}_records`], totals[t], at(`${t}_records`));
    assert.is(outcomes.reduce((a, o) => a + m[`${t}_${o}`], 0), totals[t], at(`${t} outcomes do not add up`));
    for (const o of outcomes) assert.is(m[`${t}_${o}`], records.filter((r) => r.type === t && r.outcome === o).length, at(`${t}_${o}`));
  }

  // Requests: one per step a record took, every failure has one cause.
  const byRecord = new Map<number, Request<Call>[]>();
  for (const q of requests) {
    const id = q.payload.record.id;
    if (!byRecord.has(id)) byRecord.set(id, []);
    byRecord.get(id)!.push(q);
  }
  assert.is(m.requests, requests.length, at('requests'));
  assert.is(m.insert_requests, requests.filter((q) => q.payload.step === 'insert').length, at('insert_requests'));
  assert.is(m.failed_requests, requests.filter((q) => q.status >= 500).length, at('failed_requests'));
  assert.is(m.failed_requests, failureCauses.reduce((a, c) => a + m[`failed_${c}`], 0), at('failed_requests != sum of causes'));
  assert.is(m.failed_insert_requests, requests.filter((q) => q.status >= 500 && q.payload.step === 'insert').length, at('failed inserts'));
  if (s.noise.errorRate === 0) assert.is(m.failed_noise, 0, at('noise failures without noise'));
  if (m.failed_killed > 0) assert.ok(m.kills_effective > 0, at('requests killed without kills'));
  if (ingressOnly && m.failed_no_endpoints > 0) assert.ok(w.emptyAfterT0, at('no_endpoints failures while no list was empty'));

  const byName = new Map(records.map((r) => [r.name, r]));
  for (const r of records) {
    const qs = byRecord.get(r.id) ?? [];
    const last = qs[qs.length - 1];
    const expected = r.type === 'user' || r.outcome === 'orphaned' || (r.outcome === 'failed' && last.payload.step === 'lookup') ? 1 : 2;
    assert.is(qs.length, expected, at(`record ${r.id} (${r.type}, ${r.outcome}) sent ${qs.length} requests`));
    assert.equal(qs.map((q) => q.payload.step), r.type === 'user' ? ['insert'] : ['lookup', 'insert'].slice(0, expected), at('step order'));
    assert.ok(qs.slice(0, -1).every((q) => q.status < 500), at(`record ${r.id}: only its last request may fail`));
    assert.is(last.status >= 500, r.outcome === 'failed', at(`record ${r.id}: failed iff its last request failed`));
    assert.ok(r.start === qs[0].sent && r.end === last.end, at(`record ${r.id} spans its requests`));
    for (let k = 1; k < qs.length; k++) assert.ok(qs[k].sent >= qs[k - 1].end, at('a record sends its insert after the lookup answered'));
    // A lookup finds its parent iff the parent was inserted: the same thread handled the parent earlier.
    if (r.type !== 'user' && r.outcome !== 'failed') {
      const parent = byName.get(r.parent)!;
      const inserted = parent.outcome === 'inserted_clean' || parent.outcome === 'inserted_malicious';
      assert.is(r.outcome !== 'orphaned', inserted, at(`record ${r.id} (${r.outcome}) with parent ${parent.outcome}`));
    }
    // Malicious inserts pass exactly on vulnerable implementations.
    if (r.outcome === 'inserted_malicious') assert.ok(last.pod!.implementation.vulnerable, at('malicious insert on a safe implementation'));
    if (r.outcome === 'rejected') assert.ok(r.malicious && !last.pod!.implementation.vulnerable, at('rejection on a vulnerable implementation'));
    if (r.outcome === 'inserted_clean') assert.ok(!r.malicious, at('a malicious record counted clean'));
  }

  // Statuses and causes (docs/model.md section 4).
  for (const q of requests) {
    assert.ok(q.end >= q.sent && q.sent >= m.t0, at(`request ${q.id} times`));
    if (q.status === 500) assert.is(q.cause, 'noise', at('500 is noise'));
    if (q.status === 503) assert.ok(q.cause === 'no_endpoints' && q.tries === 0 && q.via === 'ingress', at('503 is an empty list at the first try'));
    if (q.status === 504) assert.is(q.cause, 'timeout', at('504 after a timed-out try'));
    if (q.status === 502) assert.ok(['refused', 'timeout', 'killed', 'no_endpoints'].includes(q.cause), at(`502 with cause ${q.cause}`));
    if (q.status < 500) assert.is(q.cause, '', at('a success has no cause'));
    // Timing of failures (docs/model.md sections 4 and 10), one hop being the constant latency.
    const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;
    if (q.status === 503) assert.ok(near(q.end, q.sent + 2 * hop), at(`503 of request ${q.id} answered at once`));
    // Killed: the ingress answers 502 one hop after ts, one more hop to the client; via a ClusterIP the caller hears one hop after ts.
    if (q.cause === 'killed') {
      const hops = q.via === 'ingress' ? 2 : 1;
      assert.ok(near(q.end, q.pod!.gone + hops * hop), at(`killed request ${q.id} (via ${q.via}) answered ${hops} hops after its pod was gone`));
    }
    if (q.status === 504) {
      const decided = q.trySent + s.ingress.connectTimeout;
      assert.ok(near(q.end, q.via === 'ingress' ? decided + hop : decided), at(`504 of request ${q.id} after connectTimeout`));
    }
    assert.ok(q.tries <= (q.via === 'ingress' ? s.ingress.tries : 1), at(`request ${q.id} made ${q.tries} tries`));
  }

  // Users go round-robin to threads; projects and tasks stay on their user's thread.
  for (const r of records) {
    const owner = r.type === 'user' ? r : r.type === 'project' ? byName.get(r.parent)! : byName.get(byName.get(r.parent)!.parent)!;
    const u = cell.dataset.findIndex((x) => x.name === owner.name);
    assert.is(r.thread, u % s.workload.threads, at(`record ${r.id} of user ${u} on thread ${r.thread}`));
  }

  // Threads: records one at a time, `pace` apart.
  for (let t = 0; t < s.workload.threads; t++) {
    const mine = records.filter((r) => r.thread === t);
    for (let k = 1; k < mine.length; k++) {
      assert.ok(Math.abs(mine[k].start - (mine[k - 1].end + s.workload.pace)) < 1e-9, at(`thread ${t} record ${k} starts off pace`));
    }
  }

  // Tries: refused before listening, timed out once gone; exact when every step goes through the ingress.
  const refused = w.tries.filter((x) => x.arrival < x.pod.gone && (x.arrival < x.pod.listening || x.arrival >= x.pod.closed)).length;
  const timedOut = w.tries.filter((x) => x.arrival >= x.pod.gone).length;
  if (ingressOnly) {
    assert.is(m.tries_refused, refused, at('tries_refused'));
    assert.is(m.tries_timed_out, timedOut, at('tries_timed_out'));
    if (m.tries_timed_out > 0) assert.ok(w.goneListed || w.tries.some((x) => x.pod.gone <= x.arrival), at('timeouts without a gone pod listed'));
  } else {
    assert.ok(m.tries_refused >= refused && m.tries_timed_out >= timedOut, at('tries via ClusterIP are counted too'));
  }
  // A probed pod is Ready only once it listens; one that exits or drains refuses from SIGTERM (its listener closed).
  if (s.cluster.readiness === 'probe' && s.cluster.sigterm === 'ignore') assert.is(m.tries_refused, 0, at('a probed pod is Ready only once it listens'));
  if (goneNeverListed(s) && ingressOnly) {
    assert.not.ok(w.goneListed, at('a gone pod listed with sigterm ignore'));
    assert.is(m.tries_timed_out, 0, at('timeouts with sigterm ignore'));
  }
  assert.ok(m.failed_refused <= m.tries_refused && m.failed_timeout <= m.tries_timed_out, at('failures by try outcome'));

  // Worker 0's list over time, rebuilt from the pods' endpoint intervals, gives the empty time and vulnerable share.
  for (const svc of Object.keys(s.services)) {
    const mine = pods.filter((p) => p.service === svc);
    const cuts = [...new Set([m.t0, m.end_time, ...mine.flatMap((p) => [p.endpointsIn, p.endpointsOut])])]
      .filter((t) => t >= m.t0 && t <= m.end_time)
      .sort((a, b) => a - b);
    let empty = 0;
    let nonEmpty = 0;
    let vulnerable = 0;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const listed = mine.filter((p) => p.endpointsIn <= cuts[k] && cuts[k] < p.endpointsOut);
      const dt = cuts[k + 1] - cuts[k];
      if (listed.length === 0) empty += dt;
      else {
        nonEmpty += dt;
        vulnerable += (dt * listed.filter((p) => p.implementation.vulnerable).length) / listed.length;
      }
    }
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    assert.ok(close(m[`empty_time_${svc}`], empty), at(`empty_time_${svc} ${m[`empty_time_${svc}`]} vs ${empty}`));
    if (nonEmpty > 0) assert.ok(close(m[`vulnerable_share_${svc}`], vulnerable / nonEmpty), at(`vulnerable_share_${svc}`));
    else assert.ok(Number.isNaN(m[`vulnerable_share_${svc}`]), at(`vulnerable_share_${svc} with an always-empty list`));
  }

  // Pod timelines (docs/model.md sections 3 and 10).
  const c = s.cluster;
  for (const p of pods) {
    const where = at(`pod ${p.id}`);
    assert.ok(p.created <= p.running && p.running <= p.listening, where + ': created <= running <= listening');
    assert.ok(p.running - p.created <= 1.5 + 1e-9, where + ': containerStart within uniform(0.5, 1.5), capped at startup');
    assert.ok(p.running - p.created >= 0.5 - 1e-9 || p.running === p.listening, where + ': containerStart capped at startup');
    const tr = p.readyTime();
    if (c.readiness === 'none') assert.is(tr, p.running, where + ': Ready when running without a probe');
    else {
      const k = (tr - p.running - c.initialDelay) / c.probePeriod;
      assert.ok(Math.abs(k - Math.round(k)) < 1e-6 && k > -1e-6, where + ': Ready at a probe');
      assert.ok(tr >= p.listening && (k < 0.5 || tr - c.probePeriod < p.listening), where + ': Ready at the first probe after listening');
    }
    if (p.deleted < tr) assert.is(p.ready, Infinity, where + ': deleted before Ready, never Ready');
    else if (tr <= m.end_time) assert.is(p.ready, tr, where + ': Ready at its ready time');
    if (p.terminating) {
      const delay = { ignore: c.grace, exit: Math.min(c.shutdownDelay, c.grace), drain: Math.min(c.drain, c.grace) }[c.sigterm];
      // A draining pod exits when it holds no request, at the latest at its deadline.
      const onTime = c.sigterm === 'drain' ? p.gone - p.deleted <= delay + 1e-9 : Math.abs(p.gone - p.deleted - delay) < 1e-9;
      assert.ok(onTime, where + `: gone ${p.gone - p.deleted} s after deletion with sigterm ${c.sigterm}`);
      assert.is(p.closed, c.sigterm === 'drain' ? p.deleted : p.gone, where + ': listener closed at SIGTERM (the deletion here) with drain, else when gone');
    } else assert.is(p.gone, Infinity, where + ': gone only after deletion');
  }

  // Kills and replacements.
  const P = s.diversifier.period;
  const pending = m.kills_effective + R * S - m.pods_created;
  assert.is(m.pods_created, pods.length, at('pods_created counts every pod'));
  assert.ok(pending >= 0, at(`${m.pods_created} pods created for ${m.kills_effective} effective kills`));
  const endDelay = maxOf(s.cluster.controllerDelay);
  assert.ok(pending <= pods.filter((p) => p.deleted > m.end_time - endDelay).length, at(`${pending} replacements missing at the end`));
  assert.is(pods.filter((p) => p.terminating).length, m.kills_effective, at('every effective kill deletes one pod'));
  if (P === 'inf') {
    assert.is(m.kills_effective + m.kills_ignored, 0, at('kills with P = inf'));
    assert.is(m.pods_created, R * S, at('pods with P = inf'));
    return;
  }
  if (s.diversifier.select !== 'any') assert.is(m.kills_ignored, 0, at(`select ${s.diversifier.select} never picks a Terminating pod`));
  for (const svc of Object.keys(s.services)) {
    const deleted = pods.filter((p) => p.service === svc && p.terminating).sort((a, b) => a.deleted - b.deleted);
    // The first deletion is at exactly t0 + P, when the run lasts that long.
    if (m.end_time > m.t0 + P) assert.is(deleted[0]?.deleted, m.t0 + P, at(`${svc}: first deletion`));
    if (s.diversifier.waitForDeletion) {
      for (let k = 1; k < deleted.length; k++) {
        const min = deleted[k - 1].gone + Math.max(0, P - s.diversifier.jitter);
        assert.ok(deleted[k].deleted >= min - 1e-9, at(`${svc}: deletion at ${deleted[k].deleted} before the previous victim was gone + P`));
      }
    }
    if (s.diversifier.select === 'oldest') {
      for (const v of deleted) {
        const older = pods.filter((p) => p.service === svc && p.id < v.id && p.created <= v.deleted && p.deleted > v.deleted);
        assert.is(older.length, 0, at(`${svc}: pod ${v.id} deleted while an older pod was not Terminating`));
      }
    }
  }
  if (!s.diversifier.waitForDeletion && s.diversifier.jitter === 0 && s.diversifier.select === 'any') {
    // One pick every P from t0 + P until the end (select any always finds a pod).
    const ticks = Math.floor((m.end_time - m.t0) / P);
    const picks = (m.kills_effective + m.kills_ignored) / S;
    assert.ok(Math.abs(picks - ticks) <= 1, at(`${picks} picks per service in ${m.end_time - m.t0} s at P = ${P}`));
  }
}

// ---------------------------------------------------------------- the tests

test('randomized scenarios: every invariant holds on every event and try', () => {
  let events = 0;
  let timedOut = 0;
  let refused = 0;
  let failed = 0;
  for (const { label, scenario } of scenarios) {
    const latency = scenario.latency;
    assert.type(latency, 'number', 'the scenarios keep a constant latency (exact try accounting)');
    const cell = new Cell(scenario);
    for (const rep of [0, 1]) {
      const w = new Watcher(`${label} rep ${rep}`, scenario, latency as number);
      const run = cell.run(rep, { trace: true, afterEvent: w.afterEvent, onTry: w.onTry });
      assert.ok(w.t0Checked, `${label}: t0 reached`);
      checkRun(`${label} rep ${rep}`, scenario, cell, run, w);
      events += run.m.events;
      timedOut += run.m.tries_timed_out;
      refused += run.m.tries_refused;
      failed += run.m.failed_requests;
    }
  }
  // The scenarios must exercise the failure paths, or the checks above prove little.
  assert.ok(events > 50000, `only ${events} events`);
  assert.ok(timedOut > 0 && refused > 0 && failed > 0, `timed out ${timedOut}, refused ${refused}, failed ${failed}`);
});

test('the paper scenario keeps the invariants too (2 full replications)', () => {
  const scenario = paper();
  const cell = new Cell(scenario);
  for (const rep of [0, 1]) {
    const w = new Watcher(`paper rep ${rep}`, scenario, 0.001);
    const run = cell.run(rep, { trace: true, afterEvent: w.afterEvent, onTry: w.onTry });
    checkRun(`paper rep ${rep}`, scenario, cell, run, w);
    assert.not.ok(w.goneListed, 'with sigterm ignore the lists never hold a gone pod');
  }
});

test('with P = inf there are no kills and exactly R pods per service', () => {
  for (const R of [1, 3, 5]) {
    const scenario = paper('diversifier.period=inf', `cluster.replicas=${R}`, 'workload.dataset.tasksPerProject=10');
    const cell = new Cell(scenario);
    for (const run of cell.runs(5)) {
      assert.is(run.m.kills_effective + run.m.kills_ignored, 0);
      assert.is(run.m.pods_created, 3 * R);
    }
  }
});

test('kube-proxy: Ready pods of its view, then Terminating ones not gone, then nothing (docs/model.md section 4)', () => {
  const sim = new Simulation();
  const settings = serviceSettings(paper())[0];
  const pod = (id: number) => new Pod(id, 'users', settings.implementations[0], settings, 0, 1, 2);
  const streams = new RandomStreams(1, 0);
  // Constant 0.5 s lag behind each slice change.
  const proxy = new KubeProxy(sim, sampler(0.5), streams.stream('proxy/sync'), streams.stream('proxy/pick'));
  const at = (t: number, f: () => void) => sim.at(t, 1, 0, f, null);
  const picks = (n = 400) => {
    const seen = new Map<number | null, number>();
    for (let i = 0; i < n; i++) {
      const p = proxy.pick(sim.now);
      seen.set(p?.id ?? null, (seen.get(p?.id ?? null) ?? 0) + 1);
    }
    return seen;
  };
  /** The ids picked, each about n / k times (binomial, 4 SE). */
  const uniformOver = (ids: (number | null)[], n = 400) => {
    const seen = picks(n);
    assert.equal([...seen.keys()].sort(), [...ids].sort(), `picked ${[...seen.keys()]} at ${sim.now}`);
    const p = 1 / ids.length;
    for (const id of ids) assert.ok(Math.abs(seen.get(id)! - n * p) <= 4 * Math.sqrt(n * p * (1 - p)) + 1e-9, `pod ${id} picked ${seen.get(id)} of ${n}`);
  };
  const [p1, p2, p3, p4] = [1, 2, 3, 4].map(pod);
  at(0, () => {
    p1.ready = p2.ready = 0;
    proxy.sliceChanged(p1, 'ready', true);
    proxy.sliceChanged(p2, 'ready', true);
  });
  sim.run(0.4);
  uniformOver([null]); // the view lags the slice
  sim.run(0.6);
  uniformOver([1, 2]);
  at(1, () => {
    p1.deleted = 1;
    p1.gone = 3;
    proxy.sliceChanged(p1, 'deleted', true);
  });
  sim.run(1.6);
  uniformOver([2]);
  at(2, () => {
    p2.deleted = 2;
    p2.gone = 4;
    proxy.sliceChanged(p2, 'deleted', true);
  });
  sim.run(2.6);
  uniformOver([1, 2]); // no Ready pod: fall back to Terminating pods that were Ready and are not gone
  sim.run(3.5);
  uniformOver([2]);
  // p3's deletion reaches the view before its Ready change: it never enters. p4 was never Ready.
  at(5, () => {
    p3.deleted = 5;
    p3.gone = 35;
    proxy.sliceChanged(p3, 'deleted', true);
    p4.deleted = 5;
    p4.gone = 35;
    proxy.sliceChanged(p4, 'deleted', true);
  });
  at(5.2, () => proxy.sliceChanged(p3, 'ready', true));
  sim.run(6);
  uniformOver([null]);
  // A change that did not alter the slice (p4 never entered it) draws its delay but changes nothing.
  at(6, () => proxy.sliceChanged(p4, 'ready', false));
  sim.run(7.5);
  uniformOver([null]);
});

test.run();
