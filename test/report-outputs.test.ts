import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plotOutputs } from '../src/report/plot-outputs.ts';
import { UserError } from '../src/scenario/errors.ts';
import { makePaperSweep, makeTracedRun } from './fixtures/make-output.ts';

const root = mkdtempSync(join(tmpdir(), 'report-outputs-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const traced = join(root, 'traced');
makeTracedRun(traced);
const live = 'scenarios/live/paper-aks.csv';
const written = await plotOutputs(traced, { live, strict: true });

test('plot writes .vl.json, .svg and .png of every figure and report.html, and says so', () => {
  const names = written.map((p) => relative(traced, p));
  const ids = ['fig1-outcomes', 'fig2-failure-rate', 'fig3-tasks-inserted', 'fig4-tradeoff', 'fig6-spread', 'fig7-timeline'];
  assert.equal(names, [...ids.flatMap((id) => ['vl.json', 'svg', 'png'].map((ext) => `figures/${id}.${ext}`)), 'report.html']);
  for (const p of written) assert.ok(existsSync(p), p);
  const spec = JSON.parse(readFileSync(join(traced, 'figures/fig2-failure-rate.vl.json'), 'utf8'));
  assert.match(spec.$schema, /vega-lite\/v6/);
});

test('the same outputs give byte-identical figures and report', async () => {
  const copy = join(root, 'traced-again');
  makeTracedRun(copy);
  await plotOutputs(copy, { live, strict: true });
  for (const p of written) {
    const rel = relative(traced, p);
    assert.ok(readFileSync(p).equals(readFileSync(join(copy, rel))), `${rel} differs`);
  }
});

test('the report is self-contained: every figure spec, the Vega runtime, tables, scenario, no remote loads', () => {
  const html = readFileSync(join(traced, 'report.html'), 'utf8');
  assert.is((html.match(/<script type="application\/json" id="spec-fig/g) ?? []).length, 6);
  assert.is((html.match(/<div class="chart" data-spec=/g) ?? []).length, 6);
  assert.ok(html.includes('vega.View'), 'the page draws with vega');
  assert.ok(html.length > 400_000, 'the vega runtime is inlined');
  assert.not.match(html, /<script[^>]+src=/);
  assert.not.match(html, /<link[^>]+href=/);
  assert.ok(html.includes('Key results') && html.includes('insert_failure_rate'));
  assert.ok(html.includes('scenario.resolved.yaml') && html.includes('sim run scenario.resolved.yaml --out . --trace --live scenarios/live/paper-aks.csv'));
  assert.ok(html.includes('paper (Azure AKS); section III and figure 9'), 'the live rows are listed');
  assert.not.match(html, /\d{4}-\d\d-\d\dT\d\d:/, 'no timestamps');
});

test('a figure no longer drawn loses its files; files sim did not write stay', async () => {
  const dir = join(root, 'retraced');
  makeTracedRun(dir);
  await plotOutputs(dir, { strict: true });
  writeFileSync(join(dir, 'figures', 'notes.txt'), 'mine');
  writeFileSync(join(dir, 'figures', 'fig9-mine.png'), 'mine');
  rmSync(join(dir, 'pods.csv'));
  await plotOutputs(dir, { strict: true });
  const left = readdirSync(join(dir, 'figures'));
  assert.not.ok(left.some((n) => n.startsWith('fig7-timeline')), 'no timeline without pods.csv');
  assert.ok(left.includes('notes.txt') && left.includes('fig9-mine.png'), 'the user\'s files stay');
  assert.ok(left.includes('fig6-spread.png'));
});

test('figures of another tool where sim would draw one: refused, nothing changed', async () => {
  const dir = join(root, 'paper');
  makePaperSweep(dir);
  cpSync(join(traced, 'figures'), join(dir, 'figures'), { recursive: true });
  const before = readdirSync(join(dir, 'figures')).sort();
  try {
    await plotOutputs(dir, { strict: true });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, /fig1-outcomes\.png: exists and was not written by sim/);
  }
  assert.equal(readdirSync(join(dir, 'figures')).sort(), before);
  assert.not.ok(existsSync(join(dir, 'report.html')));
  assert.not.ok(existsSync(join(dir, '.sim-staging')));
});

test('a folder without summary.csv is a user error naming it', async () => {
  const empty = mkdtempSync(join(root, 'empty-'));
  try {
    await plotOutputs(empty);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, /summary\.csv is missing/);
  }
});

test.run();
