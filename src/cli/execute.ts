/**
 * What `sim run` and `sim sweep` share: open the output directory, run the
 * pending units on the pool with a progress bar, file each finished unit,
 * and on SIGINT/SIGTERM stop cleanly so that `--resume` can finish the job.
 */
import { availableParallelism } from 'node:os';
import type { SweepPlan } from '../experiment/plan.ts';
import { runUnits } from '../experiment/pool.ts';
import { ReplicationError } from '../experiment/unit-run.ts';
import type { Shard, Unit } from '../experiment/units.ts';
import { UserError } from '../scenario/errors.ts';
import type { OnCell } from '../report/sweep-assemble.ts';
import { SweepDir } from '../report/sweep-dir.ts';
import { ProgressBar, type ProgressCounts } from './progress.ts';
import { onStopRequest, signalExitCodes, type StopSignal } from './signals.ts';

/** The sweep stopped on a signal; main() exits with `code` (130 for SIGINT, 143 for SIGTERM) and this message. */
export class Interrupted extends Error {
  constructor(
    message: string,
    readonly code: number = signalExitCodes.SIGINT,
  ) {
    super(message);
    this.name = 'Interrupted';
  }
}

export interface ExecuteOptions {
  out: string;
  workers?: number;
  resume: boolean;
  shard?: Shard;
  quiet: boolean;
  onCell?: OnCell;
}

export interface Execution {
  dir: SweepDir;
  /** Units run now (the others were kept from an earlier run). */
  ran: number;
  /** Files written at the end (none when the directory was already complete). */
  files: string[];
}

export function workerCount(requested: number | undefined): number {
  if (requested === undefined) return availableParallelism();
  if (!Number.isInteger(requested) || requested < 1) {
    throw new UserError([{ file: `--workers ${requested}`, path: '', message: 'expected a whole number of at least 1' }]);
  }
  return requested;
}

/**
 * --workers as the commands take it: at most the cores available, since more
 * threads than cores only add start-up and memory (100 threads on 2 cores
 * took 17 times as long and 4 GB), with a warning when it is lowered.
 * executePlan itself runs as many as it is given (the tests use 3 on 2 cores).
 */
export function cliWorkers(requested: number | undefined): number {
  const n = workerCount(requested);
  const cores = availableParallelism();
  if (n <= cores) return n;
  process.stderr.write(`warning: --workers ${n} is more than the ${cores} cores available: using ${cores}\n`);
  return cores;
}

export async function executePlan(plan: SweepPlan, options: ExecuteOptions): Promise<Execution> {
  const workers = workerCount(options.workers);
  const dir = await SweepDir.open(options.out, plan, { resume: options.resume, shard: options.shard });
  if (dir.discarded > 0 && !options.quiet) {
    process.stderr.write(`sim: starting over in ${options.out}: ${dir.discarded} finished units of an interrupted run discarded (--resume keeps them)\n`);
  }
  if (dir.state === 'complete') return { dir, ran: 0, files: [] };
  const pending = dir.pending();
  const counts = new Counts(dir.units, dir.done);
  const bar = new ProgressBar(counts.snapshot(), process.stderr.isTTY === true && !options.quiet && pending.length > 0);
  const stop = new AbortController();
  let signal: StopSignal = 'SIGINT';
  const release = onStopRequest((s) => {
    signal = s;
    stop.abort();
  });
  let outcome;
  try {
    outcome = await runUnits(pending, (cell) => plan.cells[cell].scenario, {
      workers,
      signal: stop.signal,
      onResult: async (r) => {
        await dir.put(r);
        counts.finish(r.unit);
        bar.update(counts.snapshot());
      },
    });
  } catch (e) {
    release();
    throw e instanceof ReplicationError && e.limit !== undefined ? limitError(plan, e, e.limit) : e;
  } finally {
    bar.stop();
  }
  if (outcome === 'aborted') {
    release();
    throw new Interrupted(interruptedMessage(options.out, counts.snapshot(), dir), signalExitCodes[signal]);
  }
  // A signal now waits for the final files (a few seconds at most), then stops the command.
  let files: string[];
  try {
    files = await dir.finish(options.onCell);
  } finally {
    release();
  }
  if (stop.signal.aborted) {
    throw new Interrupted(`interrupted after the final files were written to ${options.out}/; figures not drawn (sim plot ${options.out} draws them)`, signalExitCodes[signal]);
  }
  return { dir, ran: pending.length, files };
}

/** The figures and report.html of a finished run or sweep (README "Figures and report.html"). */
export async function drawFigures(out: string, live: string | undefined): Promise<string[]> {
  // Loaded on demand: vega and vega-lite take most of a second to load.
  const { plotOutputs } = await import('../report/plot-outputs.ts');
  return plotOutputs(out, { live, onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
}

/** A replication stopped by a limit, as a user error naming the replication, the cell's values and the setting. */
function limitError(plan: SweepPlan, e: ReplicationError, path: string): UserError {
  const values = plan.axes.map((a, i) => `${a.path}=${String(plan.cells[e.cell]?.values[i])}`);
  const file = `replication ${e.rep} of cell ${e.cell}${values.length > 0 ? ` (${values.join(', ')})` : ''}`;
  return new UserError([{ file, path, message: e.reason }]);
}

function interruptedMessage(out: string, c: ProgressCounts, dir: SweepDir): string {
  const args = process.argv.slice(2).filter((a) => a !== '--resume');
  const again = ['sim', ...args, '--resume'].map(shellQuote).join(' ');
  return [
    `interrupted: ${dir.done.size} of ${dir.units.length} units (${c.repsDone} of ${c.repsTotal} replications) are finished and kept in ${out}/parts/`,
    `resume with: ${again}`,
  ].join('\n');
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Replications and cells done, for the progress bar and the interruption message. */
class Counts {
  private reps = 0;
  private readonly total: number;
  private readonly left = new Map<number, number>();
  private readonly cellsTotal: number;

  constructor(units: readonly Unit[], done: ReadonlySet<number>) {
    this.total = units.reduce((n, u) => n + u.to - u.from, 0);
    for (const u of units) {
      if (done.has(u.index)) this.reps += u.to - u.from;
      else this.left.set(u.cell, (this.left.get(u.cell) ?? 0) + 1);
    }
    this.cellsTotal = new Set(units.map((u) => u.cell)).size;
  }

  finish(u: Unit): void {
    this.reps += u.to - u.from;
    const left = (this.left.get(u.cell) ?? 1) - 1;
    if (left === 0) this.left.delete(u.cell);
    else this.left.set(u.cell, left);
  }

  snapshot(): ProgressCounts {
    return { repsDone: this.reps, repsTotal: this.total, cellsDone: this.cellsTotal - this.left.size, cellsTotal: this.cellsTotal };
  }
}
