import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meanAcrossCells } from '../src/metrics/aggregate.ts';
import { summarize } from '../src/metrics/summary.ts';
import { compareCsvRow, compareHeader, compareLive } from '../src/report/compare.ts';
import { compareTable } from '../src/report/compare-table.ts';
import { runRow, runsHeader, summaryHeader, summaryRows, type CellParams } from '../src/store/csv.ts';
import type { LiveRow } from '../src/live/live.ts';
import { readOutput } from '../src/store/output-data.ts';

const root = mkdtempSync(join(tmpdir(), 'compare-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';

/**
 * A hand-made sweep output: periods 10 and 5 at R=3, plus 10 at R=5;
 * failure_rate and tasks_optimal over 21 runs each.
 */
function writeOutput(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const metrics = ['failure_rate', 'tasks_optimal'];
  const cells: [CellParams, number[]][] = [
    [{ period: 10, replicas: 3, extra: [] }, Array.from({ length: 21 }, (_, r) => r / 1000)], // 0 .. 0.02
    [{ period: 5, replicas: 3, extra: [] }, Array.from({ length: 21 }, (_, r) => 0.01 + r / 1000)], // 0.01 .. 0.03
    [{ period: 10, replicas: 5, extra: [] }, Array.from({ length: 21 }, () => 0)],
  ];
  const runs = [runsHeader([], metrics)];
  const summary = [summaryHeader([])];
  cells.forEach(([params, fr], cell) => {
    fr.forEach((v, rep) => runs.push(runRow(cell, params, rep, [v, 360], '0000000000000000')));
    summary.push(...summaryRows(cell, params, metrics, { failure_rate: fr, tasks_optimal: fr.map(() => 360) }));
  });
  writeFileSync(join(dir, 'runs.csv'), csv(runs));
  writeFileSync(join(dir, 'summary.csv'), csv(summary));
}

const outDir = join(root, 'out');
writeOutput(outDir);

const live = (period: string, metric: string, value: number, more: Partial<LiveRow> = {}): LiveRow => ({
  period, metric, value, source: 'test', line: 2, replicas: 3, ...more,
});

test('a single live run is inside when it lies within the simulated p5..p95 of single runs', async () => {
  const data = await readOutput(outDir);
  const { rows } = compareLive(data, [live('10', 'failure_rate', 0.0189), live('10', 'failure_rate', 0.0191), live('10', 'failure_rate', 0.001)]);
  // Type-7 p5 and p95 of 0, 0.001, ..., 0.02 are 0.001 and 0.019.
  assert.ok(Math.abs(rows[0].sim.p5 - 0.001) < 1e-12 && Math.abs(rows[0].sim.p95 - 0.019) < 1e-12);
  assert.equal(rows.map((r) => r.verdict), ['inside', 'outside', 'inside']);
  assert.is(rows[0].cell, '0');
  assert.ok(Math.abs(rows[0].diff - (0.0189 - 0.01)) < 1e-12);
});

test('a live mean of n runs is judged against the spread of such means, not of single runs', async () => {
  const data = await readOutput(outDir);
  const sd = summarize(Array.from({ length: 21 }, (_, r) => r / 1000)).sd;
  const half = (1.6448536269514722 * sd) / Math.sqrt(4);
  const [inside, outside] = compareLive(data, [
    live('10', 'failure_rate', 0.01 + half * 0.99, { n: 4 }),
    live('10', 'failure_rate', 0.01 + half * 1.01, { n: 4 }),
  ]).rows;
  assert.is(inside.verdict, 'inside');
  assert.is(outside.verdict, 'outside');
  assert.ok(Math.abs(inside.high - (0.01 + half)) < 1e-12);
});

test('rows match by period and replicas; without replicas a row matches every replica count', async () => {
  const data = await readOutput(outDir);
  const { rows, notes } = compareLive(data, [
    live('10', 'failure_rate', 0, { replicas: undefined }),
    live('5', 'failure_rate', 0.02, { replicas: 5, line: 7 }),
  ]);
  assert.equal(rows.map((r) => [r.cell, r.replicas]), [['0', 3], ['2', 5]]);
  assert.equal(notes, ['line 7: no simulated cell has period 5 and replicas 5; not compared']);
});

test('period all is the per-replication mean over the periods of a variant', async () => {
  const data = await readOutput(outDir);
  const { rows, notes } = compareLive(data, [live('all', 'failure_rate', 0.02)]);
  assert.is(rows.length, 1);
  // Rep r averages r/1000 (P=10) and 0.01 + r/1000 (P=5): 0.005 + r/1000, so mean 0.015, p95 0.024.
  const per = meanAcrossCells([Array.from({ length: 21 }, (_, r) => r / 1000), Array.from({ length: 21 }, (_, r) => 0.01 + r / 1000)]);
  assert.ok(Math.abs(per[3] - 0.008) < 1e-15);
  assert.ok(Math.abs(rows[0].sim.mean - 0.015) < 1e-12, String(rows[0].sim.mean));
  assert.ok(Math.abs(rows[0].high - 0.024) < 1e-12);
  assert.is(rows[0].verdict, 'inside');
  assert.is(rows[0].cell, 'all');
  assert.match(notes[0], /mean over the simulated periods 10, 5 \(R=3\)/);
});

test('compare.csv rows carry both sides and the verdict; the table shows fractions as percent', async () => {
  const data = await readOutput(outDir);
  const { rows } = compareLive(data, [live('10', 'failure_rate', 0.05, { n: 2, ci_low: 0.04, ci_high: 0.06 })]);
  const header = compareHeader([]);
  const row = compareCsvRow(rows[0], []);
  const rec = Object.fromEntries(header.map((h, i) => [h, row[i]]));
  assert.is(rec.verdict, 'outside');
  assert.is(rec.live_value, '0.05');
  assert.is(rec.live_n, '2');
  assert.is(rec.sim_mean, '0.01');
  assert.is(rec.period, '10');
  const table = compareTable(rows, []);
  assert.match(table, /failure_rate\s+P=10 s, R=3\s+1 % \[/);
  assert.match(table, /5 % \(n=2\)\s+\+4 pp\s+outside/);
  assert.match(table, /0 inside, 1 outside/);
});

const sim = (...args: string[]) => spawnSync(process.execPath, ['src/cli/sim.mjs', ...args], { encoding: 'utf8' });

test('sim compare writes compare.csv, the figure and a report with the verdicts; --fail-outside exits 1 only when a value is outside', () => {
  const liveFile = join(root, 'live.csv');
  writeFileSync(liveFile, 'period,replicas,metric,value,ci_low,ci_high,n,source\n10,3,failure_rate,0.015,,,,lab\nall,3,tasks_optimal,360,,,,lab\n');
  const ok = sim('compare', outDir, '--live', liveFile, '--fail-outside');
  assert.is(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /2 inside, 0 outside/);
  const out = readFileSync(join(outDir, 'compare.csv'), 'utf8').split('\n');
  assert.is(out[0], compareHeader([]).join(','));
  assert.match(out[1], /^0,10,3,failure_rate,21,0\.01,/);
  assert.ok(existsSync(join(outDir, 'figures', 'compare.svg')));
  assert.match(readFileSync(join(outDir, 'figures', 'compare.svg'), 'utf8'), /failure_rate/);
  const report = readFileSync(join(outDir, 'report.html'), 'utf8');
  assert.ok(report.includes('<h2 id="comparison">Comparison with live results</h2>'), 'the report holds the comparison');
  assert.match(report, /2 inside, 0 outside/);

  writeFileSync(liveFile, 'period,replicas,metric,value,ci_low,ci_high,n,source\n10,3,failure_rate,0.5,,,,lab\n');
  const bad = sim('compare', outDir, '--live', liveFile, '--fail-outside', '--no-plots');
  assert.is(bad.status, 1, bad.stderr);
  assert.match(bad.stdout, /outside/);
  assert.is(sim('compare', outDir, '--live', liveFile, '--no-plots', '--quiet').status, 0);
});

test('sim compare: a bad live file or a missing one is a user error (exit 2) with the line', () => {
  const liveFile = join(root, 'bad.csv');
  writeFileSync(liveFile, 'period,replicas,metric,value,ci_low,ci_high,n,source\n10,3,failure_rat,0.1,,,,lab\n');
  const r = sim('compare', outDir, '--live', liveFile, '--no-plots');
  assert.is(r.status, 2);
  assert.match(r.stderr, /bad\.csv:2:3: metric: unknown metric "failure_rat" \(did you mean failure_rate\?\)/);
  const missing = sim('compare', outDir, '--live', join(root, 'nope.csv'));
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /nope\.csv: cannot read/);
});

test.run();
