/**
 * The CLI's real entry point, main(argv), run in this process with its
 * output captured: hundreds of command lines cost what a few spawned
 * processes cost. Spawned runs (cli.test.ts, faults.test.ts) cover the
 * process itself: signals, exit codes, the executable.
 */
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main.ts';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** main(argv) with stdout and stderr captured; process.exitCode is left as it was. */
export async function runMain(argv: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  const saved = process.exitCode;
  process.stdout.write = ((chunk: unknown) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  const started = performance.now();
  let code: number;
  try {
    code = await main(argv);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    process.exitCode = saved;
  }
  return { code, stdout: out.join(''), stderr: err.join(''), ms: performance.now() - started };
}

/** The real executable, with a time limit (a hang fails the test instead of stalling it). */
export function runBinary(argv: string[], timeoutMs = 30_000): Outcome {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['src/cli/sim.mjs', ...argv], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

/** An internal error or a stack trace: what no input may cause. */
export function crashed(o: Outcome): boolean {
  return o.code === 3 || o.code === null || /internal error|^\s+at /m.test(o.stderr);
}
