/**
 * Whole-process measurements: wall time of a `sim` command, and peak
 * memory from /usr/bin/time -v when the machine has it (else the child's
 * own maxRSS report).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { seconds } from './stats.ts';

const gnuTime = '/usr/bin/time';

export function hasGnuTime(): boolean {
  return existsSync(gnuTime);
}

/** Runs `node args...`; returns wall seconds, peak RSS in MB (if /usr/bin/time exists) and stdout. */
export function runNode(args: string[]): { wall: number; peakMB: number; stdout: string } {
  const t = process.hrtime.bigint();
  if (!hasGnuTime()) {
    const stdout = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    return { wall: seconds(t), peakMB: NaN, stdout };
  }
  const r = spawnSync(gnuTime, ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = seconds(t);
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${r.stderr}`);
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return { wall, peakMB: kb ? Number(kb[1]) / 1024 : NaN, stdout: r.stdout };
}
