/**
 * How pod changes reach the ingress, with the model's delays (README,
 * "Routing"): a Ready change or a deletion reaches the service's
 * EndpointSlice after its own `endpointSliceDelay` draw; the controller
 * syncs under one token bucket (`syncRate`, `syncBurst`, full at the start),
 * a sync at max(arrival, next token) applying every change arrived by then,
 * and pushes every service's list to the ingress; the ingress's workers
 * pick it up at their next reload. Lists are in pod-creation order; a pod
 * whose deletion reached the slice never enters it again.
 */
export interface Endpoint {
  readonly service: string;
  readonly seq: number;
  readonly address: string;
}

export interface EndpointOptions {
  syncRate: number;
  syncBurst: number;
  /** A draw of the EndpointSlice delay of the service (s). */
  sliceDelay: (service: string) => number;
  clock: () => number;
  push: (lists: Map<string, string[]>) => Promise<void>;
  onSync?: (at: number, lists: Map<string, string[]>) => void;
}

export class EndpointPublisher {
  private readonly slices = new Map<string, Map<number, Endpoint>>();
  private readonly removed = new Set<string>();
  private tokens: number;
  private last: number;
  private pending: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Errors of pushes to the ingress, reported by the caller. */
  readonly errors: string[] = [];

  constructor(
    services: readonly string[],
    private readonly o: EndpointOptions,
  ) {
    for (const s of services) this.slices.set(s, new Map());
    this.tokens = o.syncBurst;
    this.last = o.clock();
  }

  /** The pod became Ready: it joins its slice after the delay, unless its deletion got there first. */
  ready(e: Endpoint): void {
    this.later(e.service, () => {
      if (!this.removed.has(e.address)) this.slices.get(e.service)?.set(e.seq, e);
    });
  }

  /** The pod was deleted: it leaves its slice after the delay, for good. */
  deleted(e: Endpoint): void {
    this.later(e.service, () => {
      this.removed.add(e.address);
      this.slices.get(e.service)?.delete(e.seq);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.pending) clearTimeout(this.pending);
  }

  /** Every service's list now, in creation order. */
  lists(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [s, m] of this.slices) out.set(s, [...m.values()].sort((a, b) => a.seq - b.seq).map((e) => e.address));
    return out;
  }

  private later(service: string, change: () => void): void {
    const delay = this.o.sliceDelay(service);
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.stopped) return;
      change();
      this.arrived();
    }, delay * 1000);
    this.timers.add(t);
  }

  /** A slice changed: sync at the next token, unless a sync is already waiting (it will take this change). */
  private arrived(): void {
    if (this.pending) return;
    const now = this.o.clock();
    this.refill(now);
    const wait = this.tokens >= 1 ? 0 : (1 - this.tokens) / this.o.syncRate;
    this.pending = setTimeout(() => this.sync(), wait * 1000);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.o.syncBurst, this.tokens + (now - this.last) * this.o.syncRate);
    this.last = now;
  }

  private sync(): void {
    this.pending = null;
    if (this.stopped) return;
    const now = this.o.clock();
    this.refill(now);
    this.tokens = Math.max(0, this.tokens - 1);
    const lists = this.lists();
    this.o.onSync?.(now, lists);
    this.o.push(lists).catch((e: Error) => this.errors.push(`push to the ingress at ${now.toFixed(3)} s: ${e.message}`));
  }
}
