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
import type { Thresholds } from '../report/thresholds.ts';
import { UserError } from '../util/errors.ts';
import type { OnCell } from '../store/sweep-assemble.ts';
import { readOutput } from '../store/output-data.ts';
import { OutputFolder, stagingName } from '../store/output-folder.ts';
import { SweepDir } from '../store/sweep-dir.ts';
import { shardMarkerName } from '../store/sweep-files.ts';
import { writeOutputs } from './outputs.ts';
import { invokedAs } from './invocation.ts';
import { ProgressBar, progressMode, type ProgressCounts } from './progress.ts';
import { Interrupted, onStopRequest, signalExitCodes, type StopSignal } from './signals.ts';

export interface ExecuteOptions {
  out: string;
  /** Worker threads; by default the cores, started only when the run is big enough to pay for them (pool.ts). */
  workers?: number;
  resume: boolean;
  shard?: Shard;
  quiet: boolean;
  onCell?: OnCell;
  /**
   * Writes the command's other files (trace, figures, report) into the
   * staging folder beside the final CSVs; `stopped()` turns true on a stop
   * request, when drawing should end.
   */
  extras?: (stage: string, stopped: () => boolean) => Promise<void>;
  /** Files `extras` may write (checked before anything runs: none may be the user's). */
  extraFiles?: readonly string[];
  /** Called once the workers have their first units: the main thread mostly waits for them then. */
  whileRunning?: () => void;
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
export function cliWorkers(requested: number | undefined): number | undefined {
  if (requested === undefined) return undefined; // the default: executePlan decides
  const n = workerCount(requested);
  const cores = availableParallelism();
  if (n <= cores) return n;
  process.stderr.write(`warning: --workers ${n} is more than the ${cores} cores available: using ${cores}\n`);
  return cores;
}

export async function executePlan(plan: SweepPlan, options: ExecuteOptions): Promise<Execution> {
  const workers = workerCount(options.workers);
  const out = options.out;
  const folder = await OutputFolder.open(out);
  // Before any work: nothing this run would write may be a file of the user's.
  const finals = ['runs.csv', 'summary.csv', plan.resolvedFile, 'report.html', ...(options.extraFiles ?? [])];
  folder.checkFree(['parts', stagingName, ...(options.shard ? [shardMarkerName] : finals)]);
  const dir = await SweepDir.open(folder, plan, { resume: options.resume, shard: options.shard });
  if (dir.discarded > 0 && !options.quiet) {
    process.stderr.write(`sim: starting over in ${out}: ${dir.discarded} finished units of an interrupted run discarded (--resume keeps them)\n`);
  }
  if (dir.state === 'complete') return { dir, ran: 0, files: [] };
  const pending = dir.pending();
  const counts = new Counts(dir.units, dir.done);
  const bar = new ProgressBar(counts.snapshot(), progressMode(process.stderr.isTTY === true, options.quiet, pending.length));
  const stop = new AbortController();
  let signal: StopSignal = 'SIGINT';
  const release = onStopRequest((s) => {
    signal = s;
    stop.abort();
  });
  let outcome;
  try {
    const running = runUnits(pending, (cell) => plan.cells[cell].scenario, {
      workers,
      // The CLI's clock: only where units run depends on it, never a result.
      deferWorkers: options.workers === undefined ? { clock: () => performance.now() / 1000 } : undefined,
      signal: stop.signal,
      onResult: async (r) => {
        await dir.put(r);
        counts.finish(r.unit);
        bar.update(counts.snapshot());
      },
    });
    options.whileRunning?.();
    outcome = await running;
  } catch (e) {
    release();
    throw e instanceof ReplicationError && e.limit !== undefined ? limitError(plan, e, e.limit) : e;
  } finally {
    bar.stop();
  }
  if (outcome === 'aborted') {
    release();
    throw new Interrupted(interruptedMessage(out, counts.snapshot(), dir), signalExitCodes[signal]);
  }
  if (dir.plan.shard !== null) {
    // A signal now waits for shard.json, then stops the command.
    let files: string[];
    try {
      files = await dir.finish(options.onCell);
    } finally {
      release();
    }
    if (stop.signal.aborted) throw new Interrupted(`interrupted after the shard was finished in ${out}/`, signalExitCodes[signal]);
    return { dir, ran: pending.length, files };
  }
  release();
  const written = await writeOutputs({
    folder,
    stopped: stop.signal.aborted ? signal : undefined,
    write: async (stage, stopped) => {
      await dir.finish(options.onCell, stage);
      await options.extras?.(stage, stopped);
    },
    replaces: () => true,
    keep: 'data',
    onFailure: `the finished units are kept in ${out}/parts/ (run the same command with --resume to finish)`,
  });
  await dir.removeParts();
  if (written.stopped !== undefined) {
    const drawn = written.files.some((f) => f.endsWith('report.html'));
    const note = drawn ? '' : `; figures and report.html not drawn (sim plot ${out} draws them)`;
    throw new Interrupted(`interrupted after the final files were written to ${out}/${note}`, signalExitCodes[written.stopped]);
  }
  return { dir, ran: pending.length, files: written.files };
}

/**
 * Starts loading the figure renderers (vega and vega-lite: about a quarter
 * of a second of compiling) while the replications run; drawFigures then
 * finds them loaded. A failure to load shows when drawFigures imports them.
 */
export function preloadFigures(): void {
  import('../report/plot-outputs.ts').catch(() => undefined);
}

/** Draws the figures and report.html of the outputs in `stage` (a staging folder of `out`) into it. */
export async function drawFigures(stage: string, out: string, live: string | undefined, stopped?: () => boolean, thresholds?: Thresholds): Promise<void> {
  // Loaded on demand (preloadFigures starts it early): sim --help and a run without figures never load vega.
  const { drawReport } = await import('../report/plot-outputs.ts');
  const data = { ...(await readOutput(stage)), dir: out };
  await drawReport(data, { into: stage, live, stopped, thresholds, onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
}

/** A replication stopped by a limit, as a user error naming the replication, the cell's values and the setting. */
function limitError(plan: SweepPlan, e: ReplicationError, path: string): UserError {
  const values = plan.axes.map((a, i) => `${a.path}=${String(plan.cells[e.cell]?.values[i])}`);
  const file = `replication ${e.rep} of cell ${e.cell}${values.length > 0 ? ` (${values.join(', ')})` : ''}`;
  return new UserError([{ file, path, message: e.reason }]);
}

function interruptedMessage(out: string, c: ProgressCounts, dir: SweepDir): string {
  const args = process.argv.slice(2).filter((a) => a !== '--resume');
  const again = [invokedAs(), ...[...args, '--resume'].map(shellQuote)].join(' ');
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
