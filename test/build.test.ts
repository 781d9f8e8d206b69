/**
 * The compiled CLI (src/cli/build.mjs): a build is found only for the
 * sources it was made from, so `sim` never runs a stale build; what a
 * process and a worker thread load before they run anything; and the
 * executable caps --workers at the cores available.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
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

/** The sources (from the source maps) of a build's entry and of every chunk it imports statically, i.e. what loads before its code runs. */
function loadedAtStart(dir: string, entry: string): string[] {
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s*"\.\/([^"]+)";|^import\s*"\.\/([^"]+)";/gms)) visit(m[1] ?? m[2]);
  };
  visit(entry);
  return [...files].flatMap((f) => (JSON.parse(readFileSync(join(dir, `${f}.map`), 'utf8')) as { sources: string[] }).sources.map((s) => relative(process.cwd(), resolve(dir, s))));
}

test('sim --help loads the option lists, not the simulation, YAML or the schema; a worker thread loads the simulation, not the schema or YAML', async () => {
  const dir: string = await build();
  const main = loadedAtStart(dir, 'main.mjs');
  const worker = loadedAtStart(dir, 'worker.mjs');
  assert.ok(main.includes('src/cli/commands/run.ts') && main.some((s) => s.startsWith('node_modules/yargs/')), 'the CLI and yargs load at start');
  for (const heavy of ['src/cluster/', 'src/experiment/replication.ts', 'src/report/recommend.ts', 'src/cli/actions/', 'node_modules/yaml/', 'node_modules/@sinclair/typebox/', 'node_modules/fast-csv/']) {
    assert.equal(main.filter((s) => s.startsWith(heavy)), [], `sim --help loads ${heavy}`);
  }
  assert.ok(worker.includes('src/experiment/replication.ts') && worker.includes('src/cluster/router.ts'), 'a worker loads the simulation');
  for (const heavy of ['src/schema/schema.ts', 'node_modules/@sinclair/typebox/', 'node_modules/yaml/', 'src/report/', 'src/cli/']) {
    assert.equal(worker.filter((s) => s.startsWith(heavy)), [], `a worker thread loads ${heavy}`);
  }
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
