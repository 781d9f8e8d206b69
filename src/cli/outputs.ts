/**
 * The end of every command that writes an output folder: its files are
 * written into OUT/.sim-staging/, then moved in together, so OUT changes
 * as a whole or not at all (README "Output folders").
 *
 * - A write failure (full disk, read-only file system) while staging
 *   leaves OUT as it was.
 * - A stop (SIGINT/SIGTERM) while drawing ends the drawing; with `keep:
 *   'data'` (run, sweep, merge) the new data files go in without figures
 *   and report, the earlier ones removed (`sim plot OUT` draws them); with
 *   `keep: 'nothing'` (plot, compare) OUT stays as it was.
 * - During the moves themselves a signal waits: they take milliseconds.
 */
import { OutputError } from '../util/atomic.ts';
import { isPlotFile } from '../store/plot-files.ts';
import { OutputFolder, Staging } from '../store/output-folder.ts';
import { onStopRequest, type StopSignal } from './signals.ts';

export interface OutputWrite {
  folder: OutputFolder;
  /** A stop request that came before (the drawing is skipped). */
  stopped?: StopSignal;
  /** Writes the command's files into `stage` (laid out as OUT); `stopped()` turns true on a stop request. */
  write: (stage: string, stopped: () => boolean) => Promise<void>;
  /** The earlier files of sim's that this command's files replace (removed when not written again). */
  replaces: (rel: string) => boolean;
  /** What a stop while writing keeps: the data files (figures and report dropped), or nothing. */
  keep: 'data' | 'nothing';
  /** Said after a write failure: what was kept and how to finish, e.g. that the finished units are in parts/. */
  onFailure?: string;
}

export interface OutputsWritten {
  files: string[];
  /** The stop request that came while writing, if any (the caller exits with its code). */
  stopped?: StopSignal;
}

export async function writeOutputs(w: OutputWrite): Promise<OutputsWritten> {
  let signal: StopSignal | undefined = w.stopped;
  const release = onStopRequest((s) => (signal = s), w.keep === 'data' ? 'stopping: the new data files go in without figures' : 'stopping: the output folder stays as it was');
  try {
    const staging = await Staging.begin(w.folder);
    try {
      await w.write(staging.dir, () => signal !== undefined);
    } catch (e) {
      await staging.discard();
      throw unchanged(e, w);
    }
    if (signal !== undefined) {
      if (w.keep === 'nothing') {
        await staging.discard();
        return { files: [], stopped: signal };
      }
      await staging.drop(isPlotFile);
    }
    return { files: await staging.commit(w.replaces), stopped: signal };
  } finally {
    release();
  }
}

/** A failed write says that OUT was left as it was, and what else was kept. */
function unchanged(e: unknown, w: OutputWrite): unknown {
  if (!(e instanceof OutputError)) return e;
  const note = `${w.folder.dir}/ was left as it was${w.onFailure ? `; ${w.onFailure}` : ''}`;
  return new OutputError(e.path, e.code, `${e.message}; ${note}`, { cause: e });
}
