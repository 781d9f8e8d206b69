/**
 * SIGINT and SIGTERM. While a sweep runs, the first one asks it to stop: it
 * files the units that finished and exits 130 (SIGINT) or 143 (SIGTERM)
 * with the command that resumes. Otherwise, or on a second signal, the
 * process exits at once with that code; either way the exit hook removes
 * the temp files of unfinished writes and releases the output locks, so
 * every file left is whole and no directory stays locked.
 */
import { rmSync } from 'node:fs';
import { tempFilesInFlight } from '../util/atomic.ts';
import { releaseAllLocks } from './out-lock.ts';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal's number, as shells report a process ended by it. */
export const signalExitCodes: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

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

let installed = false;
let stopper: ((signal: StopSignal) => void) | undefined;
let stopNote = '';
let stopping = false;

/** Installs the handlers and the exit hook once per process. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', cleanUp);
}

/** While registered, the first signal calls `stop` instead of exiting, saying `note`. Returns the unregistration. */
export function onStopRequest(stop: (signal: StopSignal) => void, note = 'stopping after the finished units are saved'): () => void {
  stopper = stop;
  stopNote = note;
  stopping = false;
  return () => {
    if (stopper === stop) stopper = undefined;
    stopping = false;
  };
}

function onSignal(signal: NodeJS.Signals): void {
  const s: StopSignal = signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
  if (stopper && !stopping) {
    stopping = true;
    process.stderr.write(`\nsim: ${s}: ${stopNote} (again to quit at once)\n`);
    stopper(s);
    return;
  }
  process.exit(signalExitCodes[s]);
}

/** Synchronous: it runs in the 'exit' event, where nothing asynchronous happens any more. */
export function cleanUp(): void {
  for (const tmp of tempFilesInFlight()) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more can be done at exit; a later run of the same directory removes it.
    }
  }
  releaseAllLocks();
}
