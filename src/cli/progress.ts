/**
 * The sweep progress bar on stderr: replications done, cells done,
 * replications per second and ETA. Only on a terminal (a log file gets no
 * bar) and never with --quiet. Wall-clock time is read here, in the CLI,
 * never in the simulation layers.
 */
import { SingleBar } from 'cli-progress';

export interface ProgressCounts {
  repsDone: number;
  repsTotal: number;
  cellsDone: number;
  cellsTotal: number;
}

export class ProgressBar {
  private readonly bar: SingleBar | undefined;
  private readonly started = performance.now();
  private readonly firstReps: number;

  constructor(initial: ProgressCounts, enabled: boolean) {
    this.firstReps = initial.repsDone;
    if (!enabled) return;
    this.bar = new SingleBar({
      stream: process.stderr,
      format: ' {bar} {percentage}% | {cells} cells | {value}/{total} reps | {rate} reps/s | ETA {eta_formatted}',
      barsize: 24,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    });
    this.bar.start(initial.repsTotal, initial.repsDone, this.payload(initial));
  }

  update(c: ProgressCounts): void {
    this.bar?.update(c.repsDone, this.payload(c));
  }

  stop(): void {
    this.bar?.stop();
  }

  private payload(c: ProgressCounts): Record<string, string> {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? (c.repsDone - this.firstReps) / seconds : 0;
    return { cells: `${c.cellsDone}/${c.cellsTotal}`, rate: rate >= 100 ? rate.toFixed(0) : rate.toFixed(1) };
  }
}
