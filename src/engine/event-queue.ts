/**
 * The pending events, ordered by (time, seq). `seq` is a monotonic insertion
 * counter, so events at the same time leave in the order they were
 * scheduled: determinism by construction (as SimPy's heap of (time, id)).
 *
 * Bent for speed (this is the simulator's hottest code): events live in
 * reusable slots of parallel typed arrays, and the binary heap orders slot
 * numbers, so scheduling allocates nothing once the arrays have grown.
 *
 * A handle is `generation * 2^24 + slot`, exact while it is below 2^53: a
 * slot is retired (never reused) once its generation reaches 2^29, so every
 * handle stays exact however long the run (2^24 slots x 2^29 uses each is
 * 2^53 events, as many as the seq counter counts exactly).
 */
export type Handler<T> = (arg: T) => void;

/** Pending events at most: the slot is the low 24 bits of a handle. */
export const maxSlots = 0x1000000;
/** A slot used this many times is retired: `generation * maxSlots + slot` stays below 2^53. */
export const maxGeneration = 2 ** 29;

/** Cancelled events kept in the heap at most before compact() may run (it needs them to be half the heap too). */
const compactAbove = 4096;

export class EventQueue {
  private heap = new Int32Array(64);
  private n = 0;
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  private kinds = new Int32Array(64);
  private entities = new Float64Array(64);
  /** Incremented when a slot is freed: a handle to an older use no longer matches. */
  private generations = new Uint32Array(64);
  private cancelled = new Uint8Array(64);
  private handlers: (Handler<never> | null)[] = [];
  private args: unknown[] = [];
  private free: number[] = [];
  private nextSlot = 0;
  private seq = 0;
  /** Cancelled events still in the heap. */
  private nCancelled = 0;
  /**
   * The earliest event pushed since the last pop, held out of the heap (-1:
   * none). Most events are followed at once by the one their handler
   * schedules (about 70 % in the paper scenario): pop() then hands it over
   * without a sift up and a sift down. Of two pushed between pops, the later
   * joins the heap; the held one joins it when the heap's top precedes it.
   */
  private held = -1;

  /** `firstGeneration` (tests only) starts new slots there, to reach the retirement boundary without 2^29 uses. */
  constructor(private readonly firstGeneration = 0) {}

  get size(): number {
    return this.held >= 0 ? this.n + 1 : this.n;
  }

  /** Queues an event; returns a handle for cancel(). */
  push<T>(time: number, kind: number, entity: number, handler: Handler<T>, arg: T): number {
    const slot = this.free.length > 0 ? this.free.pop()! : this.newSlot();
    this.times[slot] = time;
    this.seqs[slot] = this.seq++;
    this.kinds[slot] = kind;
    this.entities[slot] = entity;
    this.cancelled[slot] = 0;
    this.handlers[slot] = handler as Handler<never>;
    this.args[slot] = arg;
    const held = this.held;
    if (held < 0) this.held = slot;
    else if (this.precedes(slot, held)) {
      this.siftUp(held);
      this.held = slot;
    } else this.siftUp(slot);
    return this.generations[slot] * maxSlots + slot;
  }

  /** Marks the event of a handle cancelled; a no-op if it already ran. */
  cancel(handle: number): void {
    const slot = handle % maxSlots;
    if (this.generations[slot] !== (handle - slot) / maxSlots || this.cancelled[slot] === 1) return;
    this.cancelled[slot] = 1;
    // A cancelled event stays in the heap until its time; a run that cancels far-off events (client
    // timeouts) faster than time reaches them would keep them all, and their arguments: drop them
    // once they are most of the heap.
    if (++this.nCancelled > compactAbove && 2 * this.nCancelled > this.size) this.compact();
  }

  /** Removes the cancelled events from the heap. Pops stay in (time, seq) order, a total order. */
  private compact(): void {
    if (this.held >= 0) {
      this.siftUp(this.held);
      this.held = -1;
    }
    const live: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const slot = this.heap[i];
      if (this.cancelled[slot] === 1) this.release(slot);
      else live.push(slot);
    }
    this.n = 0;
    for (const slot of live) this.siftUp(slot);
  }

  /** Removes the earliest event and returns its slot; read it with the accessors, then release(). */
  pop(): number {
    const held = this.held;
    const top = this.heap[0];
    let sink: number;
    if (held >= 0) {
      this.held = -1;
      if (this.n === 0 || this.precedes(held, top)) return held;
      // The top leaves and the held event takes its place, sinking: one sift instead of a sift up and
      // a sift down (most pops of a rotating cluster's hour, whose next event is rarely the last pushed).
      sink = held;
    } else {
      sink = this.heap[--this.n];
      if (this.n === 0) return top;
    }
    this.siftDown(sink); // one call site, so that pop() stays small enough to inline into the loop
    return top;
  }

  /** Puts back the slot pop() just returned, unread (it is again the earliest). */
  unpop(slot: number): void {
    this.held = slot;
  }

  time(slot: number): number {
    return this.times[slot];
  }
  kind(slot: number): number {
    return this.kinds[slot];
  }
  entity(slot: number): number {
    return this.entities[slot];
  }
  isCancelled(slot: number): boolean {
    return this.cancelled[slot] === 1;
  }
  handler(slot: number): Handler<unknown> {
    return this.handlers[slot] as Handler<unknown>;
  }
  arg(slot: number): unknown {
    return this.args[slot];
  }

  /** Returns a popped slot for reuse. */
  release(slot: number): void {
    if (this.cancelled[slot] === 1) {
      this.cancelled[slot] = 0;
      this.nCancelled--;
    }
    const generation = ++this.generations[slot];
    this.handlers[slot] = null;
    this.args[slot] = undefined;
    // Reused until a further use would make an inexact handle; then retired (once per 2^29 events of that slot).
    if (generation < maxGeneration) this.free.push(slot);
  }

  /** Slots ever taken (tests: a retired slot is replaced by a new one). */
  get slotsUsed(): number {
    return this.nextSlot;
  }

  private precedes(a: number, b: number): boolean {
    const ta = this.times[a];
    const tb = this.times[b];
    return ta < tb || (ta === tb && this.seqs[a] < this.seqs[b]);
  }

  private siftUp(slot: number): void {
    if (this.n === this.heap.length) this.heap = grow(this.heap);
    const h = this.heap;
    const t = this.times[slot];
    const s = this.seqs[slot];
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      const pt = this.times[p];
      if (pt < t || (pt === t && this.seqs[p] < s)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = slot;
  }

  private siftDown(slot: number): void {
    const h = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const n = this.n;
    const t = times[slot];
    const s = seqs[slot];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let c = h[child];
      let ct = times[c];
      if (child + 1 < n) {
        const r = h[child + 1];
        const rt = times[r];
        if (rt < ct || (rt === ct && seqs[r] < seqs[c])) {
          child++;
          c = r;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && s < seqs[c])) break;
      h[i] = c;
      i = child;
    }
    h[i] = slot;
  }

  private newSlot(): number {
    const slot = this.nextSlot++;
    if (slot >= maxSlots) throw new RangeError('more than 16M pending events');
    if (slot === this.times.length) {
      this.times = grow(this.times);
      this.seqs = grow(this.seqs);
      this.kinds = grow(this.kinds);
      this.entities = grow(this.entities);
      this.generations = grow(this.generations);
      this.cancelled = grow(this.cancelled);
    }
    this.generations[slot] = this.firstGeneration;
    return slot;
  }
}

type TypedArray = Int32Array | Float64Array | Uint32Array | Uint8Array;

function grow<A extends TypedArray>(a: A): A {
  const b = new (a.constructor as new (n: number) => A)(a.length * 2);
  b.set(a);
  return b;
}
