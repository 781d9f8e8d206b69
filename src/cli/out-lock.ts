/**
 * One writer per output directory: `OUT/.lock` names the process that
 * writes there (pid, host, start time, command). A second `sim` that wants
 * to write into OUT while the holder runs is refused, naming the holder. A
 * lock whose process is gone (killed, crashed; on this host) is taken over
 * with a warning, so a crash never leaves a directory locked for good. The
 * lock is released when the command ends, however it ends: main() releases
 * it after the command, the exit hook (signals.ts) on an exit in between.
 */
import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { link, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureDir, exists } from '../util/atomic.ts';
import { printable, UserError } from '../util/errors.ts';

export const lockName = '.lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** Wall-clock start of the holder, ISO 8601 (for people). */
  started: string;
  /** The holder's start time in clock ticks since boot (Linux), so a reused pid is not taken for the holder. */
  ticks?: string;
  command: string;
}

/** Locks held by this process: released at exit even when the command did not get to do it. */
const held = new Map<string, string>();

export interface LockOptions {
  /** Create the directory if missing (run, sweep, merge, calibrate); plot and compare need an existing one. */
  create: boolean;
  /** What named the directory, for messages: `--out` unless told. */
  source?: string;
  onWarning?: (message: string) => void;
}

/**
 * Locks `dir` for this command (main() releases it when the command ends).
 * With `create: false`, anything but an existing directory is left alone: the command fails on it anyway.
 */
export async function lockOutput(dir: string, options: LockOptions): Promise<void> {
  if (!options.create && !isDirectory(dir)) return;
  if (options.create) checkOutPath(dir, options.source ?? '--out');
  await acquire(dir, options.onWarning ?? ((m) => process.stderr.write(`sim: warning: ${m}\n`)));
}

async function acquire(dir: string, warn: (m: string) => void): Promise<string> {
  await ensureDir(dir);
  const path = join(dir, lockName);
  const me = self();
  const text = `${JSON.stringify(me)}\n`;
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { flag: 'w' }).catch(async (e: unknown) => {
    await rm(tmp, { force: true });
    throw e;
  });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      // link() creates the lock whole or fails with EEXIST: no reader ever sees a half-written lock.
      const taken = await link(tmp, path).then(() => true, (e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') return false;
        throw e;
      });
      if (taken) {
        held.set(path, text);
        return path;
      }
      const holderText = readOptional(path);
      if (holderText === undefined) continue; // released meanwhile
      const holder = parseHolder(holderText);
      if (holder && isAlive(holder, path)) throw new UserError([{ file: dir, path: '', message: heldMessage(holder, path) }]);
      if (await takeOver(path, holderText)) {
        warn(`${dir}: took over the lock of a run that is gone (${holder ? describe(holder) : 'an unreadable lock'})`);
      }
    }
    throw new UserError([{ file: dir, path: '', message: `could not lock the directory: other runs keep taking ${path}` }]);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Moves a stale lock aside; if another process replaced it meanwhile, puts that one back. */
async function takeOver(path: string, staleText: string): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch {
    return false; // someone else moved it first
  }
  const moved = readOptional(aside);
  if (moved !== staleText) {
    await link(aside, path).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

/** Removes the lock if it is still this process's; safe to call twice, synchronous so it can run at exit. */
export function releaseLock(path: string): void {
  const mine = held.get(path);
  if (mine === undefined) return;
  held.delete(path);
  if (readOptional(path) === mine) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

/** Releases every lock this process holds (the exit hook). */
export function releaseAllLocks(): void {
  for (const path of [...held.keys()]) releaseLock(path);
}

function self(): LockHolder {
  const ticks = startTicks(process.pid);
  return {
    pid: process.pid,
    host: hostname(),
    started: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    ...(ticks !== undefined ? { ticks } : {}),
    command: ['sim', ...process.argv.slice(2)].join(' '),
  };
}

/** Whether the holder may still run: on this host, its pid exists and started when the lock says; elsewhere, assumed alive. */
function isAlive(h: LockHolder, path: string): boolean {
  if (h.host !== hostname()) return true;
  // This very process: held if it holds it (a nested lock), stale if it let it go without removing it.
  if (h.pid === process.pid) return held.has(path);
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = procStat(h.pid);
  // A zombie (Z) or dead (X) process has exited; only its parent has not collected its status yet.
  if (stat !== undefined && (stat.state === 'Z' || stat.state === 'X')) return false;
  return h.ticks === undefined || stat === undefined || stat.ticks === h.ticks;
}

/** Fields 3 (state) and 22 (start time in ticks since boot) of /proc/PID/stat; undefined where there is no /proc. */
function procStat(pid: number): { state: string; ticks: string } | undefined {
  const stat = readOptional(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ticks: fields[19] };
}

function startTicks(pid: number): string | undefined {
  return procStat(pid)?.ticks;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string') return { started: '?', command: '?', ...h } as LockHolder;
  } catch {
    // An unreadable lock (a crash while it was created is impossible with link(); a hand-made file is possible).
  }
  return undefined;
}

const describe = (h: LockHolder) => `pid ${h.pid} on ${h.host}, started ${h.started}: ${h.command}`;

function heldMessage(h: LockHolder, path: string): string {
  const elsewhere = h.host !== hostname() ? `; if that run is gone, delete ${path}` : '';
  return `in use by another sim run (${describe(h)}); wait for it to end or choose another --out${elsewhere}`;
}

/**
 * A directory path that cannot be one (empty, a name too long, a file where
 * a folder should be) is a bad argument: refused before anything is created.
 */
export function checkOutPath(dir: string, source: string): void {
  const fail = (message: string) => new UserError([{ file: `${source} ${dir === '' ? "''" : printable(dir)}`, path: '', message }]);
  if (dir === '') throw fail('expected a directory, found an empty path');
  if (dir.includes('\0')) throw fail('expected a directory, found a path with a NUL byte');
  const long = dir.split('/').find((name) => Buffer.byteLength(name) > maxNameBytes);
  if (long !== undefined) throw fail(`expected folder names of at most ${maxNameBytes} bytes, found one of ${Buffer.byteLength(long)}`);
  const full = resolve(dir);
  if (Buffer.byteLength(full) > maxPathBytes) throw fail(`expected a path of at most ${maxPathBytes} bytes, found ${Buffer.byteLength(full)}`);
  let d = full;
  while (!exists(d) && dirname(d) !== d) d = dirname(d);
  if (!isDirectory(d)) throw fail(d === full ? 'expected a directory, found a file' : `expected a directory, but ${d} is a file`);
}

/** Linux limits (NAME_MAX, PATH_MAX less the names sim adds inside the directory). */
const maxNameBytes = 255;
const maxPathBytes = 3800;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
