/**
 * Sweep progress without a terminal: a plain line every few seconds on
 * stderr (cells, reps, rate, ETA), an ETA from what was done so far, and a
 * closing line; a bar on a terminal; nothing with --quiet.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { estimate, formatDuration, lineInterval, ProgressBar, progressMode, type ProgressCounts } from '../src/cli/progress.ts';

const counts = (repsDone: number, cellsDone = 0): ProgressCounts => ({ repsDone, repsTotal: 90, cellsDone, cellsTotal: 3 });

test('a bar on a terminal, lines elsewhere, nothing when quiet or when nothing is left to do', () => {
  assert.is(progressMode(true, false, 5), 'bar');
  assert.is(progressMode(false, false, 5), 'lines');
  assert.is(progressMode(false, true, 5), 'off');
  assert.is(progressMode(true, false, 0), 'off');
});

test('the ETA of a 9 s job reads about the time left, from the first update on, and is unknown before any replication', () => {
  assert.ok(Number.isNaN(estimate(counts(0), 0, 0.5).eta));
  const first = estimate(counts(10), 0, 1); // 10 reps in 1 s, 80 left: 8 s
  assert.is(first.rate, 10);
  assert.is(first.eta, 8);
  assert.is(formatDuration(first.eta), '8s');
  // Replications kept from an earlier run are not speed.
  assert.is(estimate(counts(50), 40, 1).eta, 4);
  assert.is(formatDuration(330), '5m30s');
  assert.is(formatDuration(3725), '1h02m');
  assert.is(formatDuration(NaN), '?');
});

test('without a terminal: a line every few seconds and a closing line, with cells, reps, rate and ETA', () => {
  const lines: string[] = [];
  let now = 0;
  const bar = new ProgressBar(counts(0), 'lines', (s) => lines.push(s), () => now);
  for (let reps = 1; reps <= 90; reps++) {
    now = reps * 100; // 10 reps/s: a 9 s job
    bar.update(counts(reps, Math.floor(reps / 30)));
  }
  bar.stop();
  assert.is(lines.length, Math.floor(9 / lineInterval) + 1, lines.join(''));
  assert.is(lines[0], 'progress: 1/3 cells, 50/90 reps (55 %), 10.0 reps/s, ETA 4s\n');
  assert.is(lines.at(-1), 'progress: 3/3 cells, 90/90 reps (100 %), 10.0 reps/s, ETA 0s\n');
});

test('off: nothing written', () => {
  const lines: string[] = [];
  const bar = new ProgressBar(counts(0), 'off', (s) => lines.push(s), () => 0);
  bar.update(counts(90, 3));
  bar.stop();
  assert.equal(lines, []);
});

test('sim run with stderr in a pipe prints a plain progress line; --quiet prints none', () => {
  const root = mkdtempSync(join(tmpdir(), 'progress-'));
  try {
    const small = ['--reps', '2', '--no-plots', '--workers', '1', '--set', 'workload.dataset.tasksPerProject=5', '--set', 'workload.dataset.maliciousTasks=1'];
    const r = spawnSync(process.execPath, ['src/cli/sim.mjs', 'run', 'scenarios/paper.yaml', ...small, '--out', join(root, 'a')], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stderr, /^progress: 1\/1 cells, 2\/2 reps \(100 %\), [\d.]+ reps\/s, ETA 0s$/m);
    const q = spawnSync(process.execPath, ['src/cli/sim.mjs', 'run', 'scenarios/paper.yaml', ...small, '--quiet', '--out', join(root, 'b')], { encoding: 'utf8' });
    assert.is(q.stderr, '');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
