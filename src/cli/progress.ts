/**
 * Sweep progress on stderr: replications done, cells done, replications per
 * second and ETA. On a terminal a bar redrawn in place; elsewhere (a CI log,
 * `| tee`) a plain line every few seconds, so a long sweep is not silent.
 * Never with --quiet. Wall-clock time is read here, in the CLI, for progress
 * only: it never reaches the simulation layers or any output file.
 */
import { SingleBar } from 'cli-progress';

export interface ProgressCounts {
  repsDone: number;
  repsTotal: number;
  cellsDone: number;
  cellsTotal: number;
}

export type ProgressMode = 'bar' | 'lines' | 'off';

/** The mode for a stream: a bar on a TTY, lines otherwise, nothing when quiet or when nothing is to be done. */
export function progressMode(isTTY: boolean, quiet: boolean, pending: number): ProgressMode {
  if (quiet || pending === 0) return 'off';
  return isTTY ? 'bar' : 'lines';
}

/** Seconds between two plain progress lines. */
export const lineInterval = 5;

/** `1m05s`, `42s`; `?` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Replications per second and the time left, from what this process did
 * (replications kept from an earlier run are not counted as speed). Unknown
 * until the first replications are done: a guess from none would be noise.
 */
export function estimate(c: ProgressCounts, firstReps: number, seconds: number): { rate: number; eta: number } {
  const done = c.repsDone - firstReps;
  if (done <= 0 || seconds <= 0) return { rate: NaN, eta: NaN };
  const rate = done / seconds;
  return { rate, eta: (c.repsTotal - c.repsDone) / rate };
}

const formatRate = (rate: number) => (Number.isNaN(rate) ? '?' : rate >= 100 ? rate.toFixed(0) : rate.toFixed(1));

/** One plain progress line: `progress: 2/6 cells, 340/1200 reps (28 %), 41.5 reps/s, ETA 21s`. */
export function progressLine(c: ProgressCounts, rate: number, eta: number): string {
  const pct = c.repsTotal > 0 ? Math.floor((100 * c.repsDone) / c.repsTotal) : 100;
  return `progress: ${c.cellsDone}/${c.cellsTotal} cells, ${c.repsDone}/${c.repsTotal} reps (${pct} %), ${formatRate(rate)} reps/s, ETA ${formatDuration(eta)}`;
}

export class ProgressBar {
  private readonly bar: SingleBar | undefined;
  private readonly started: number;
  private readonly firstReps: number;
  private lastLine: number;
  private last: ProgressCounts;

  constructor(
    initial: ProgressCounts,
    private readonly mode: ProgressMode,
    private readonly write: (s: string) => void = (s) => process.stderr.write(s),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.firstReps = initial.repsDone;
    this.last = initial;
    this.started = this.now();
    this.lastLine = this.started;
    if (mode !== 'bar') return;
    this.bar = new SingleBar({
      stream: process.stderr,
      format: ' {bar} {percentage}% | {cells} cells | {value}/{total} reps | {rate} reps/s | ETA {left}',
      barsize: 24,
      hideCursor: true,
      fps: 5,
    });
    this.bar.start(initial.repsTotal, initial.repsDone, this.payload(initial));
  }

  update(c: ProgressCounts): void {
    this.last = c;
    if (this.mode === 'bar') this.bar?.update(c.repsDone, this.payload(c));
    if (this.mode === 'lines' && this.now() - this.lastLine >= lineInterval * 1000) this.line(c);
  }

  stop(): void {
    this.bar?.stop();
    // A closing line, so a log shows where the run ended.
    if (this.mode === 'lines' && this.last.repsDone > this.firstReps) this.line(this.last);
  }

  private line(c: ProgressCounts): void {
    this.lastLine = this.now();
    const { rate, eta } = this.estimate(c);
    this.write(`${progressLine(c, rate, eta)}\n`);
  }

  private estimate(c: ProgressCounts) {
    return estimate(c, this.firstReps, (this.now() - this.started) / 1000);
  }

  private payload(c: ProgressCounts): Record<string, string> {
    const { rate, eta } = this.estimate(c);
    // cli-progress's own ETA averages over its first updates and read 5m30s for a 9 s job; ours is done / elapsed.
    return { cells: `${c.cellsDone}/${c.cellsTotal}`, rate: formatRate(rate), left: formatDuration(eta) };
  }
}
