/**
 * Runs units on worker threads, or on this thread when one worker is asked
 * for (no start-up cost; same code, same results). Units are handed out in
 * plan order to whichever worker has fewer than two (one running, one
 * queued); results arrive in completion
 * order, and the caller files each under its unit, so nothing written
 * depends on the worker count or on timing. Filing runs beside the
 * simulation (a Filer): a slow write holds up no unit.
 *
 * A small run is cheaper on this thread alone: each worker starts up and
 * runs its first replications cold (interpreted, while V8 compiles them
 * again for its isolate). With `deferWorkers` the first unit runs here,
 * and the workers start only if the units left would keep this thread
 * busy for long (workersPayAbove); otherwise the run stays here.
 */
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../schema/schema.ts';
import type { Unit } from './units.ts';
import { DatasetCache, ReplicationError, runUnit, type UnitResult } from './unit-run.ts';

export interface UnitRequest {
  unit: Unit;
  /** Left out when the worker's previous unit was of the same cell (it keeps the last one). */
  scenario?: Scenario;
}

export type UnitReply =
  | { ok: true; result: UnitResult }
  | { ok: false; cell?: number; rep?: number; limit?: string; message: string; stack?: string };

export interface PoolOptions {
  workers: number;
  /**
   * Run the first unit here and start the workers only if the rest is worth them (the commands' default
   * worker count). The clock (seconds) is the caller's: it decides where units run, never what they give.
   * `payAbove` defaults to workersPayAbove.
   */
  deferWorkers?: { clock: () => number; payAbove?: number };
  /** Told how many worker threads were started (0: the run stayed on this thread). */
  onThreads?: (workers: number) => void;
  /** Aborting stops handing out units and drops the ones running; finished ones have been reported. */
  signal?: AbortSignal;
  /** Called once per finished unit; the pool returns only after every call has settled. */
  onResult: (r: UnitResult) => Promise<void>;
}

export type PoolOutcome = 'done' | 'aborted';

/**
 * With deferWorkers, the workers start when the units left after the first,
 * at the first's pace, would take this thread longer than this (seconds).
 * The first unit runs cold, about 5 times slower than the next ones (the
 * paper scenario: 255 ms, then about 50 ms per 25 replications), and on
 * this 2-core VM two workers paid off from about 700 replications of the
 * paper scenario (1.2 s of warm work here): 400 took 1.5-1.7 s on this
 * thread against 2.1 s on two workers, 1000 took 3.1-3.3 s against
 * 2.8-3.0 s. At the first unit's pace that is 15 units x 0.25 s = 3.75 s
 * against 39 x 0.24 s = 9.4 s; the threshold sits between them.
 */
export const workersPayAbove = 6;

/** True when `left` units at `seconds` each are worth starting the workers for. */
export function worthWorkers(seconds: number, left: number, payAbove = workersPayAbove): boolean {
  return left * seconds > payAbove;
}

/** Runs every unit unless aborted; rejects with the first error (a ReplicationError for a failed replication). */
export async function runUnits(units: readonly Unit[], scenarioOf: (cell: number) => Scenario, options: PoolOptions): Promise<PoolOutcome> {
  const n = Math.min(options.workers, units.length);
  const filer = new Filer(options.onResult);
  try {
    let ran = 0;
    if (n <= 1 || options.deferWorkers !== undefined) {
      const defer = n > 1 ? options.deferWorkers : undefined;
      ran = await runHere(units, scenarioOf, options, filer, defer && ((first: number) => worthWorkers(first, units.length - 1, defer.payAbove)), defer?.clock);
    }
    const rest = options.signal?.aborted ? [] : units.slice(ran);
    options.onThreads?.(rest.length > 0 ? n : 0);
    if (rest.length > 0) await runOnThreads(n, rest, scenarioOf, options, filer);
  } catch (e) {
    await filer.drain().catch(() => undefined); // every write started ends before the error is reported
    throw e;
  }
  await filer.drain();
  return filer.filed === units.length ? 'done' : 'aborted';
}

/**
 * Files results while the next units run, up to `limit` at once: an fsync
 * that stalls for a second (as on a busy VM, or a network disk) would
 * otherwise hold up the simulation behind it. Results are filed under
 * their units, so the order of the writes changes no byte. The first
 * failure (a full disk) is thrown by the next add() or by drain().
 */
class Filer {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  filed = 0;

  constructor(
    private readonly file: (r: UnitResult) => Promise<void>,
    private readonly limit = 8,
  ) {}

  /** Starts filing `r` (after waiting while `limit` writes are in flight). */
  async add(r: UnitResult): Promise<void> {
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    this.check();
    const p: Promise<void> = this.file(r).then(
      () => {
        this.filed++;
        this.inFlight.delete(p);
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.inFlight.delete(p);
      },
    );
    this.inFlight.add(p);
  }

  /** Throws the first failure, if any. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every write started, then throws the first failure, if any. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.check();
  }
}

/**
 * Runs units on this thread, in order; with `handOver`, stops after the
 * first if handOver(its seconds on `clock`) says the rest is for the
 * workers. Returns how many units it ran.
 */
async function runHere(
  units: readonly Unit[],
  scenarioOf: (cell: number) => Scenario,
  options: PoolOptions,
  filer: Filer,
  handOver?: (firstSeconds: number) => boolean,
  clock?: () => number,
): Promise<number> {
  const datasets = new DatasetCache();
  let ran = 0;
  for (const unit of units) {
    if (options.signal?.aborted) break;
    const start = clock?.() ?? 0;
    const result = runUnit(scenarioOf(unit.cell), unit, datasets);
    const seconds = (clock?.() ?? 0) - start;
    ran++;
    await filer.add(result);
    // Let a SIGINT handler and the writes' callbacks run between units: the simulation itself never yields.
    await new Promise((resolve) => setImmediate(resolve));
    if (ran === 1 && handOver?.(seconds)) break;
  }
  return ran;
}

async function runOnThreads(n: number, units: readonly Unit[], scenarioOf: (cell: number) => Scenario, options: PoolOptions, filer: Filer): Promise<void> {
  const workers = Array.from({ length: n }, () => new UnitWorker());
  const stopAll = () => Promise.all(workers.map((w) => w.stop()));
  let next = 0;
  let failure: { error: unknown } | undefined;
  const take = () => (failure || options.signal?.aborted || next >= units.length ? undefined : units[next++]);
  const send = (w: UnitWorker) => {
    const unit = take();
    return unit && w.run(unit, scenarioOf);
  };
  const loop = async (w: UnitWorker) => {
    // Two units in flight per worker: the next one waits in the worker's queue, so the worker never
    // idles for a round trip through this thread (busy filing, or slow to wake on a loaded machine).
    for (let running = send(w); running; ) {
      const ahead = send(w);
      ahead?.catch(() => undefined); // if `running` fails first, nobody awaits this one
      const result = await running;
      if (result === null) break; // stopped: the unit is dropped
      await filer.add(result);
      running = ahead;
    }
  };
  const onAbort = () => void stopAll();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      workers.map((w) =>
        loop(w).catch((error: unknown) => {
          failure ??= { error };
          void stopAll();
        }),
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await stopAll();
  }
  if (failure) throw failure.error;
}

/** One worker thread; it answers its units in the order it was sent them. */
class UnitWorker {
  // From source, ./worker.mjs is the tsx shim beside this file; compiled (src/cli/build.mjs), it is the
  // compiled worker beside the bundle, so workers run the build their main thread runs.
  private readonly thread = new Worker(new URL('./worker.mjs', import.meta.url), {
    execArgv: process.sourceMapsEnabled ? [...process.execArgv, '--enable-source-maps'] : undefined, // --debug traces name .ts lines
  });
  private readonly pending: { resolve: (r: UnitResult | null) => void; reject: (e: unknown) => void }[] = [];
  private stopping: Promise<number> | undefined;
  private exited = false;
  /** The cell whose scenario the worker holds: a unit of the same cell is sent without it. */
  private cell = -1;

  constructor() {
    this.thread.on('message', (reply: UnitReply) => this.settle(reply));
    this.thread.on('error', (e) => {
      for (const p of this.takeAll()) p.reject(e);
    });
    this.thread.on('exit', (code) => {
      this.exited = true;
      for (const p of this.takeAll()) {
        if (this.stopping) p.resolve(null);
        else p.reject(new Error(`a worker thread exited with code ${code}`));
      }
    });
  }

  /** The unit's result, or null if the worker was stopped first. */
  run(unit: Unit, scenarioOf: (cell: number) => Scenario): Promise<UnitResult | null> {
    if (this.stopping || this.exited) return Promise.resolve(null);
    const req: UnitRequest = unit.cell === this.cell ? { unit } : { unit, scenario: scenarioOf(unit.cell) };
    this.cell = unit.cell;
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.thread.postMessage(req);
    });
  }

  stop(): Promise<number> {
    this.stopping ??= this.thread.terminate();
    return this.stopping;
  }

  private settle(reply: UnitReply): void {
    const p = this.pending.shift();
    if (!p) return;
    if (reply.ok) {
      p.resolve(reply.result);
      return;
    }
    const error = reply.cell !== undefined && reply.rep !== undefined ? new ReplicationError(reply.cell, reply.rep, reply.message, reply.limit) : new Error(reply.message);
    if (reply.stack) error.stack = reply.stack;
    p.reject(error);
  }

  private takeAll() {
    return this.pending.splice(0);
  }
}
