/**
 * The simulation environment: a clock and an event queue. It knows nothing
 * of what the events mean. An event is (time, seq, kind, entity, handler,
 * arg); `kind` and `entity` are small integers that identify it for the
 * fingerprint and traces.
 *
 * Handlers are plain functions bound once by their owners (not closures made
 * per event), and the argument travels in the event record, so scheduling
 * allocates one small object and nothing else.
 */
import { EventQueue } from './event-queue.ts';
import { Fingerprint } from './fingerprint.ts';

export type Handler<T> = (arg: T) => void;

/** What a holder of a scheduled event needs to cancel it. */
export interface Cancellable {
  cancelled: boolean;
}

export interface Event<T = unknown> extends Cancellable {
  time: number;
  seq: number;
  kind: number;
  entity: number;
  handler: Handler<T>;
  arg: T;
}

export class SimulationLimitError extends Error {}

export class Simulation {
  /** Current simulated time in seconds. */
  now = 0;
  /** Events processed so far (cancelled ones excluded). */
  processed = 0;
  readonly fingerprint = new Fingerprint();
  private queue = new EventQueue<Event<unknown>>();
  private seq = 0;
  private stopped = false;

  constructor(private readonly maxEvents = Infinity) {}

  /** Schedules `handler(arg)` at absolute time `time` (never before now). */
  at<T>(time: number, kind: number, entity: number, handler: Handler<T>, arg: T): Event<T> {
    if (!(time >= this.now)) throw new RangeError(`event scheduled in the past: ${time} < ${this.now}`);
    const e: Event<T> = { time, seq: this.seq++, kind, entity, handler, arg, cancelled: false };
    this.queue.push(e as unknown as Event<unknown>); // handlers are typed at the call site
    return e;
  }

  /** Schedules `handler(arg)` after `delay` seconds. */
  after<T>(delay: number, kind: number, entity: number, handler: Handler<T>, arg: T): Event<T> {
    return this.at(this.now + delay, kind, entity, handler, arg);
  }

  /** A cancelled event stays queued and is skipped when its time comes. */
  cancel(e: Cancellable): void {
    e.cancelled = true;
  }

  /** Ends the run after the current event. */
  stop(): void {
    this.stopped = true;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Processes the next event; false when there is none or the run was stopped. */
  step(until = Infinity): boolean {
    const q = this.queue;
    for (;;) {
      if (this.stopped) return false;
      const e = q.peek();
      if (e === undefined || e.time > until) return false;
      q.pop();
      if (e.cancelled) continue;
      this.now = e.time;
      if (++this.processed > this.maxEvents) {
        throw new SimulationLimitError(`more than ${this.maxEvents} events (maxEvents)`);
      }
      this.fingerprint.add(e.time, e.kind, e.entity);
      e.handler(e.arg);
      return true;
    }
  }

  /** Processes events in (time, seq) order until the queue is empty, stop() or `until`. */
  run(until = Infinity): void {
    this.stopped = false;
    while (this.step(until));
    if (until !== Infinity && !this.stopped && this.now < until) this.now = until;
  }
}
