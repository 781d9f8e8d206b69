/**
 * The output-directory lock, in-process: who holds it decides between
 * refusing (a live process, or one on another host) and taking over (a
 * dead process, a reused pid, an unreadable lock).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockOutput, releaseAllLocks } from '../src/cli/out-lock.ts';
import { UserError } from '../src/util/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'lock-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A directory whose lock holds `holder` (a holder object, or any text). */
function lockedBy(holder: object | string): string {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.lock'), typeof holder === 'string' ? holder : JSON.stringify(holder));
  return dir;
}

async function attempt(dir: string): Promise<{ error?: string; warnings: string[] }> {
  const warnings: string[] = [];
  try {
    await lockOutput(dir, { create: true, onWarning: (m) => warnings.push(m) });
    return { warnings };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { error: e.message, warnings };
  } finally {
    releaseAllLocks();
  }
}

const holder = (pid: number, extra: object = {}) => ({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', command: 'sim sweep x.yaml', ...extra });

test('a fresh directory is locked by this process and released afterwards', async () => {
  const dir = join(root, 'fresh', 'out');
  await lockOutput(dir, { create: true });
  const lock = JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')) as { pid: number; host: string; command: string };
  assert.is(lock.pid, process.pid);
  assert.is(lock.host, hostname());
  releaseAllLocks();
  assert.not.ok(existsSync(join(dir, '.lock')));
});

test('a live holder on this host is refused, named with its pid, host, start and command', async () => {
  const r = await attempt(lockedBy(holder(process.ppid)));
  assert.match(r.error ?? '', new RegExp(`in use by another sim run \\(pid ${process.ppid} on ${hostname()}, started 2026-01-01T00:00:00.000Z: sim sweep x.yaml\\)`));
});

test('a holder on another host is refused with the way out (delete the lock)', async () => {
  const dir = lockedBy({ ...holder(1), host: 'elsewhere' });
  const r = await attempt(dir);
  assert.match(r.error ?? '', new RegExp(`if that run is gone, delete ${dir}/\\.lock`));
});

test('a dead holder, a reused pid or an unreadable lock is taken over with a warning', async () => {
  for (const h of [holder(2 ** 22 + 12345), holder(process.ppid, { ticks: '1' }), 'garbage']) {
    const dir = lockedBy(h);
    const r = await attempt(dir);
    assert.is(r.error, undefined, `${JSON.stringify(h)}: ${r.error}`);
    assert.is(r.warnings.length, 1);
    assert.match(r.warnings[0], /took over the lock of a run that is gone/);
    assert.not.ok(existsSync(join(dir, '.lock')), 'released after the attempt');
  }
});

test('a zombie holder (exited, not yet reaped by its parent) is gone: its lock is taken over', async () => {
  // `sleep` never reaps the child the shell started before exec'ing it: the child stays a zombie.
  const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = Number((await once(parent.stdout, 'data'))[0]);
    const stat = () => readFileSync(`/proc/${pid}/stat`, 'utf8');
    for (let i = 0; i < 100 && !/\) Z /.test(stat()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(stat(), /\) Z /, 'the child is a zombie');
    const ticks = stat().slice(stat().lastIndexOf(')') + 2).split(' ')[19];
    const r = await attempt(lockedBy(holder(pid, { ticks })));
    assert.is(r.error, undefined, r.error);
    assert.match(r.warnings[0] ?? '', /took over the lock of a run that is gone/);
  } finally {
    parent.kill('SIGKILL');
  }
});

test('plot and compare do not create a missing directory to lock it, nor lock a file', async () => {
  const dir = join(root, 'missing');
  await lockOutput(dir, { create: false });
  assert.not.ok(existsSync(dir));
  const file = join(root, 'a-file');
  writeFileSync(file, '');
  await lockOutput(file, { create: false });
  assert.not.ok(existsSync(`${file}/.lock`));
});

test.run();
