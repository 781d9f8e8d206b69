/**
 * The compiled CLI (src/cli/build.mjs): a build is found only for the
 * sources it was made from, so `sim` never runs a stale build; and the
 * executable caps --workers at the cores available.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: plain JavaScript without declarations (it must run before any build exists)
import { build, currentBuild, sourceStamp } from '../src/cli/build.mjs';
import { paperFile } from './helpers/sim.ts';

const edited = 'src/engine/fingerprint.ts';

test('a build serves only the sources it was made from: changing a file under src/ makes it stale, restoring it fresh again', async () => {
  const dir: string = await build();
  assert.ok(existsSync(join(dir, 'main.mjs')) && existsSync(join(dir, 'worker.mjs')) && existsSync(join(dir, 'main.mjs.map')));
  assert.is(currentBuild(), dir);
  const ns = statSync(edited, { bigint: true }).mtimeNs;
  const stamp: string = sourceStamp();
  // Saving the file changes its modification time; touch puts back the exact one (to the nanosecond).
  const setMtime = (t: bigint) => spawnSync('touch', ['-m', '-d', `@${t / 10n ** 9n}.${String(t % 10n ** 9n).padStart(9, '0')}`, edited]);
  try {
    setMtime(ns + 10n ** 9n);
    assert.is.not(sourceStamp(), stamp);
    assert.is(currentBuild(), undefined, 'a build of the old sources must not run');
  } finally {
    setMtime(ns);
  }
  assert.is(sourceStamp(), stamp);
  assert.is(currentBuild(), dir);
});

test('--workers above the cores available runs on as many threads as cores, with a warning', () => {
  const cores = availableParallelism();
  const out = join(process.env.TMPDIR ?? '/tmp', `build-test-${process.pid}`);
  const r = spawnSync(process.execPath, ['src/cli/sim.mjs', 'run', paperFile, '--reps', '2', '--workers', '1000', '--no-plots', '--quiet', '--out', out], { encoding: 'utf8' });
  spawnSync('rm', ['-rf', out]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, `warning: --workers 1000 is more than the ${cores} cores available: using ${cores}`);
});

test.run();
