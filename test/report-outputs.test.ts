import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plotOutputs } from '../src/report/plot-outputs.ts';
import { UserError } from '../src/util/errors.ts';
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
  assert.equal(names, [...[...ids, 'compare'].flatMap((id) => ['vl.json', 'svg', 'png'].map((ext) => `figures/${id}.${ext}`)), 'report.html']);
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
  assert.is((html.match(/<div class="chart" data-spec=/g) ?? []).length, 7, 'six figures and the comparison');
  assert.ok(html.includes('vega.View'), 'the page draws with vega');
  assert.ok(html.length > 400_000, 'the vega runtime is inlined');
  assert.not.match(html, /<script[^>]+src=/);
  assert.not.match(html, /<link[^>]+href=/);
  assert.ok(html.includes('Key results') && html.includes('insert_failure_rate'));
  assert.ok(html.includes('scenario.resolved.yaml') && html.includes('sim run scenario.resolved.yaml --out . --trace --live scenarios/live/paper-aks.csv'));
  assert.ok(html.includes('paper (Azure AKS); section III and figure 9'), 'the live rows are listed');
  assert.not.match(html, /\d{4}-\d\d-\d\dT\d\d:/, 'no timestamps');
});

test('with --live the report judges every live value: verdicts with the expected range, and the compare figure', () => {
  const html = readFileSync(join(traced, 'report.html'), 'utf8');
  const section = html.slice(html.indexOf('<h2 id="comparison">'), html.indexOf('<h2 id="live">'));
  assert.ok(section.length > 0, 'a comparison section before the live rows');
  assert.match(section, /\d+ inside, \d+ outside/);
  assert.match(section, /<th>expected range<\/th>/);
  assert.match(section, /<td>insert_failure_rate<\/td><td>P=5 s, R=3<\/td><td>[\d.]+ % \[[\d.]+ %, [\d.]+ %\]<\/td><td>[\d.]+ % \.\. [\d.]+ %<\/td><td>0\.236 %<\/td>/);
  assert.match(section, /class="verdict-(inside|outside)"/);
  assert.match(section, /data-spec="spec-compare"/);
});

test('the live table shows fractions as percent, as its heading says', () => {
  const html = readFileSync(join(traced, 'report.html'), 'utf8');
  const table = html.slice(html.indexOf('<table class="live">'));
  assert.match(table, /<td>insert_failure_rate<\/td><td>0\.236 %<\/td>/);
  assert.not.match(table.slice(0, table.indexOf('</table>')), /<td>0\.00\d+<\/td>/);
});

test('a rate whose t interval passes 0 is shown clipped to [0, 100] % in the report, as in the console', async () => {
  const dir = join(root, 'clipped');
  makePaperSweep(dir);
  const summary = join(dir, 'summary.csv');
  const lines = readFileSync(summary, 'utf8').split('\n');
  const header = lines[0].split(',');
  const at = (name: string) => header.indexOf(name);
  const i = lines.findIndex((l) => l.split(',')[at('metric')] === 'insert_failure_rate');
  const cells = lines[i].split(',');
  Object.assign(cells, { [at('mean')]: '0.0000617', [at('ci_low')]: '-0.0000593', [at('ci_high')]: '0.000182' });
  lines[i] = cells.join(',');
  writeFileSync(summary, lines.join('\n'));
  await plotOutputs(dir, { strict: true });
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const key = html.slice(html.indexOf('<table class="key">'), html.indexOf('</table>', html.indexOf('<table class="key">')));
  assert.not.match(key, /\[-/, 'no negative bound');
  assert.match(key, /0\.00617 % <span class="ci">\[0 %, 0\.0182 %\]<\/span>/);
});

test('a folder that held a run before a sweep (or the reverse) is reported as the experiment written last', async () => {
  const dir = join(root, 'reused');
  makePaperSweep(dir);
  const older = new Date(Date.UTC(2026, 0, 1));
  for (const [stale, fresh] of [['scenario.resolved.yaml', 'sweep.resolved.yaml'], ['sweep.resolved.yaml', 'scenario.resolved.yaml']]) {
    writeFileSync(join(dir, stale), 'name: the-old-one\n');
    utimesSync(join(dir, stale), older, older);
    writeFileSync(join(dir, fresh), 'name: the-new-one\n');
    await plotOutputs(dir, { strict: true });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /<h1>the-new-one<\/h1>/, `after ${fresh}`);
    assert.ok(html.includes(`sim ${fresh.startsWith('sweep') ? 'sweep' : 'run'} ${fresh} --out .`), fresh);
  }
});

test('a figure no longer drawn loses its files; files sim did not write stay', async () => {
  const dir = join(root, 'retraced');
  makeTracedRun(dir);
  await plotOutputs(dir, { strict: true, live });
  assert.ok(existsSync(join(dir, 'figures', 'compare.svg')));
  writeFileSync(join(dir, 'figures', 'notes.txt'), 'mine');
  writeFileSync(join(dir, 'figures', 'fig9-mine.png'), 'mine');
  rmSync(join(dir, 'pods.csv'));
  await plotOutputs(dir, { strict: true });
  const left = readdirSync(join(dir, 'figures'));
  assert.not.ok(left.some((n) => n.startsWith('fig7-timeline')), 'no timeline without pods.csv');
  assert.ok(left.includes('notes.txt') && left.includes('fig9-mine.png'), 'the user\'s files stay');
  assert.ok(left.includes('fig6-spread.png'));
  assert.not.ok(left.includes('compare.svg'), 'no comparison without --live');
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
