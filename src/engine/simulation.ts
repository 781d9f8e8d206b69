/**
 * The simulation environment: a clock and an event queue. It knows nothing
 * of what the events mean. An event is (time, kind, entity, handler, arg);
 * `kind` and `entity` are numbers that identify it for the fingerprint.
 *
 * Handlers are plain functions bound once by their owners (not closures made
 * per event), and the argument travels in the queue's slot, so scheduling
 * allocates nothing.
 */
import { EventQueue, type Handler } from './event-queue.ts';
import { Fingerprint } from './fingerprint.ts';

export type { Handler };

/** Identifies a scheduled event for cancel(); stale handles are harmless. */
export type EventHandle = number;

export class SimulationLimitError extends Error {}

export class Simulation {
  /** Current simulated time in seconds. */
  now = 0;
  /** Events processed so far (cancelled ones excluded). */
  processed = 0;
  readonly fingerprint = new Fingerprint();
  private readonly queue = new EventQueue();
  private stopped = false;

  constructor(private readonly maxEvents = Infinity) {}

  /** Schedules `handler(arg)` at absolute time `time` (never before now). */
  at<T>(time: number, kind: number, entity: number, handler: Handler<T>, arg: T): EventHandle {
    if (!(time >= this.now)) throw new RangeError(`event scheduled in the past: ${time} < ${this.now}`);
    return this.queue.push(time, kind, entity, handler, arg);
  }

  /** Schedules `handler(arg)` after `delay` seconds. */
  after<T>(delay: number, kind: number, entity: number, handler: Handler<T>, arg: T): EventHandle {
    return this.at(this.now + delay, kind, entity, handler, arg);
  }

  /** A cancelled event is skipped when its time comes (not counted, not fingerprinted). */
  cancel(handle: EventHandle): void {
    this.queue.cancel(handle);
  }

  /** Ends the run after the current event. */
  stop(): void {
    this.stopped = true;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Processes the next event at or before `until`; false when there is none or the run was stopped. */
  step(until = Infinity): boolean {
    return this.process(until, 1) === 1;
  }

  /** Processes events in (time, seq) order until the queue is empty, stop() or `until`. */
  run(until = Infinity): void {
    this.stopped = false;
    this.process(until, Infinity);
    if (until !== Infinity && !this.stopped && this.now < until) this.now = until;
  }

  /** The event loop, shared by step() and run(): at most `limit` events; returns how many ran. */
  private process(until: number, limit: number): number {
    const q = this.queue;
    const fp = this.fingerprint;
    let done = 0;
    while (done < limit && !this.stopped && q.size > 0) {
      const slot = q.pop();
      const time = q.time(slot);
      if (time > until) {
        q.unpop(slot); // past `until`: it stays next (cheaper than peeking before every pop)
        break;
      }
      if (q.isCancelled(slot)) {
        q.release(slot);
        continue;
      }
      const handler = q.handler(slot);
      const arg = q.arg(slot);
      this.now = time;
      if (++this.processed > this.maxEvents) throw new SimulationLimitError(`more than ${this.maxEvents} events (maxEvents)`);
      fp.add(time, q.kind(slot), q.entity(slot));
      q.release(slot); // before the handler runs, so the slot can be reused at once
      handler(arg);
      done++;
    }
    return done;
  }
}
