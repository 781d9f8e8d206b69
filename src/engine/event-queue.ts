/**
 * A priority queue of events ordered by (time, seq). `seq` is a monotonic
 * insertion counter, so events at the same time leave in the order they were
 * scheduled: determinism by construction (as SimPy's heap of (time, id)).
 *
 * Binary heap over a plain array of event records; comparisons are inlined
 * because this is the simulator's hottest loop.
 */
export interface QueuedEvent {
  time: number;
  seq: number;
}

export class EventQueue<E extends QueuedEvent> {
  private heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  push(e: E): void {
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (p.time < e.time || (p.time === e.time && p.seq < e.seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = e;
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    const n = h.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const a = h[child];
        const b = h[right];
        if (b.time < a.time || (b.time === a.time && b.seq < a.seq)) child = right;
      }
      const c = h[child];
      if (last.time < c.time || (last.time === c.time && last.seq < c.seq)) break;
      h[i] = c;
      i = child;
    }
    h[i] = last;
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}
