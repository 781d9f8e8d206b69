import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readLive } from '../src/live/live.ts';
import { readOutput, type OutputData } from '../src/store/output-data.ts';
import { buildFigures } from '../src/report/plot-outputs.ts';
import type { Figure } from '../src/report/plots/index.ts';
import { podPhases } from '../src/report/plots/timeline.ts';
import { paretoFront } from '../src/report/plots/tradeoff.ts';
import { comparePeriods } from '../src/report/plots/theme.ts';
import { renderFigure, type Rendered } from '../src/report/render.ts';
import { textWidth } from '../src/report/text-width.ts';
import { makeGridSweep, makePaperSweep, makeTracedRun, makeTriesSweep, writeSweep } from './fixtures/make-output.ts';
import { decodePng, inkStats } from './helpers/png.ts';
import { axisLabels, items, markItems, svgSize, texts } from './helpers/svg.ts';

const root = mkdtempSync(join(tmpdir(), 'report-figures-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
makePaperSweep(join(root, 'paper'));
makeGridSweep(join(root, 'grid'));
makeTriesSweep(join(root, 'tries'));
makeTracedRun(join(root, 'traced'));
// The bundled replicas-sweep.yaml: six periods x six replica counts.
writeSweep(join(root, 'replicas'), [1, 2, 3, 4, 5, 6].flatMap((replicas) => (['inf', 15, 10, 5, 3, 1] as const).map((period) => ({ period, replicas }))), 3);
const paperLive = await readLive('scenarios/live/paper-aks.csv');

interface Drawn {
  data: OutputData;
  figures: Map<string, Figure & Rendered>;
}
const drawn = new Map<string, Drawn>();

/** Every figure of a fixture, compiled and rendered in strict mode (any vega-lite or vega warning throws). */
async function draw(name: string): Promise<Drawn> {
  if (!drawn.has(name)) {
    const data = await readOutput(join(root, name));
    const figures = new Map<string, Figure & Rendered>();
    for (const f of buildFigures(data, paperLive)) figures.set(f.id, { ...f, ...(await renderFigure(f.spec, { strict: true }, f.id)) });
    drawn.set(name, { data, figures });
  }
  return drawn.get(name)!;
}

const svgOf = async (fixture: string, id: string) => {
  const f = (await draw(fixture)).figures.get(id);
  assert.ok(f, `${fixture} has ${id}`);
  return f!.svg;
};
const count = (labels: string[], ...parts: string[]) => labels.filter((l) => parts.every((p) => l.includes(p))).length;

test('each output directory gets exactly the figures it has data for', async () => {
  const ids = async (n: string) => [...(await draw(n)).figures.keys()];
  assert.equal(await ids('paper'), ['fig1-outcomes', 'fig2-failure-rate', 'fig3-tasks-inserted', 'fig4-tradeoff', 'fig6-spread']);
  assert.equal(await ids('grid'), ['fig1-outcomes', 'fig2-failure-rate', 'fig3-tasks-inserted', 'fig4-tradeoff', 'fig5-heatmaps', 'fig6-spread']);
  assert.equal(await ids('tries'), ['fig1-outcomes', 'fig2-failure-rate', 'fig3-tasks-inserted', 'fig4-tradeoff', 'fig6-spread']);
  assert.equal(await ids('traced'), ['fig1-outcomes', 'fig2-failure-rate', 'fig3-tasks-inserted', 'fig4-tradeoff', 'fig6-spread', 'fig7-timeline']);
});

test('periods run inf first, then from the longest to the shortest', () => {
  assert.equal(['1', '10', 'inf', '3', '15', '5', '0.5'].sort(comparePeriods), ['inf', '15', '10', '5', '3', '1', '0.5']);
});

test('outcome bars: one stack of five outcomes per period and record type, periods in order', async () => {
  const svg = await svgOf('paper', 'fig1-outcomes');
  const bars = items(svg, 'bar');
  assert.is(bars.length, 6 * 3 * 5);
  for (const p of ['inf', '15', '10', '5', '3', '1']) assert.is(count(bars, `period P (s): ${p};`), 15, `period ${p}`);
  const periodAxes = axisLabels(svg).filter((labels) => labels.includes('inf'));
  assert.is(periodAxes.length, 3, 'one period axis per record type');
  for (const labels of periodAxes) assert.equal(labels, ['inf', '15', '10', '5', '3', '1']);
  assert.ok(texts(svg).includes('inserted, malicious (attack got through)'));
});

test('a sweep over another path draws one row of panels per variant', async () => {
  const bars = items(await svgOf('tries', 'fig1-outcomes'), 'bar');
  assert.is(bars.length, 2 * 2 * 3 * 5);
  const headers = texts(await svgOf('tries', 'fig1-outcomes'));
  assert.ok(headers.includes('ingress.tries=1') && headers.includes('ingress.tries=3'));
});

test('failure rate: a point per period, live points at 10 s and 5 s, the paper baseline labelled', async () => {
  const svg = await svgOf('paper', 'fig2-failure-rate');
  const points = items(svg, 'point');
  assert.is(count(points, 'simulated'), 6);
  assert.is(count(points, 'live: paper (Azure AKS)'), 2);
  assert.is(count(points, 'live: paper', 'period (s): 10'), 1);
  assert.ok(texts(svg).some((t) => t.includes('mean over periods: 0.698 %')));
  assert.equal(axisLabels(svg)[0], ['inf', '15', '10', '5', '3', '1']);
  assert.ok(texts(svg).includes('failed insert requests (% of insert requests)'));
});

test('tasks inserted: clean and malicious bars per period and the optimal run at 360', async () => {
  const { figures } = await draw('paper');
  const svg = figures.get('fig3-tasks-inserted')!.svg;
  assert.is(items(svg, 'bar').length, 12);
  const optimal = (figures.get('fig3-tasks-inserted')!.spec as { data: { values: Record<string, unknown>[] } }).data.values.filter(
    (d) => d.layer === 'optimal',
  );
  assert.equal(optimal.map((d) => d.value), [360, 360, 360, 360, 360, 360]);
});

test('trade-off: one point per period, the paper points, and the Pareto front drawn', async () => {
  const svg = await svgOf('paper', 'fig4-tradeoff');
  const points = items(svg, 'point');
  assert.is(count(points, 'simulated', 'period (s)'), 6);
  assert.is(count(points, 'live: paper', 'period (s)'), 2);
  assert.is(items(svg, 'line mark').length, 1);
});

test('the Pareto front keeps the points no other point beats on both counts', () => {
  const pts = [{ x: 0, y: 4 }, { x: 0.1, y: 3 }, { x: 0.2, y: 3.5 }, { x: 0.3, y: 1 }, { x: 0.1, y: 3 }];
  assert.equal(paretoFront(pts), [0, 1, 3, 4]);
  assert.equal(paretoFront([]), []);
});

test('heatmaps: one cell per (replicas, period) for each of the two metrics', async () => {
  const svg = await svgOf('grid', 'fig5-heatmaps');
  assert.is(items(svg, 'rect mark').length, 2 * 3 * 4);
  assert.is(items(svg, 'text mark').length, 2 * 3 * 4);
});

test('spread: one dot per replication, a p5-p95 bar and a median per period', async () => {
  const svg = await svgOf('paper', 'fig6-spread');
  const dots = markItems(svg, 'run_dots');
  assert.is(dots.length, 6 * 6);
  assert.ok(dots.every((d) => !d.includes('aria-label')), 'the dots carry no label each (thousands in a real sweep)');
  assert.is(count(items(svg, 'point'), 'replication:'), 0);
  assert.is(items(svg, 'bar').length, 6);
});

test('timeline: a bar per phase of every pod, a marker per kill and per failed request', async () => {
  const { data, figures } = await draw('traced');
  const svg = figures.get('fig7-timeline')!.svg;
  const trace = data.trace!;
  const phases = trace.pods.flatMap((p) => podPhases(p, trace.end));
  assert.is(items(svg, 'bar').length, phases.length);
  const points = items(svg, 'point');
  assert.is(count(points, 'kill (pod deleted)'), trace.pods.filter((p) => p.deleted <= trace.end).length);
  assert.is(count(points, 'failed request'), trace.failed.length);
  assert.ok(trace.failed.length >= 2);
  assert.ok(count(points, 'pod: (no pod)') === 1, 'a failure without a pod gets its own row');
});

test('a pod phase is cut where the next begins and open phases end with the run', () => {
  const pod = { service: 's', pod: 'p', implementation: 'node', vulnerable: false, created: 1, running: 2, listening: 4, ready: 2, deleted: 10, gone: 40 };
  assert.equal(podPhases(pod, 50), [['starting (not listening yet)', 1, 4], ['serving', 4, 10], ['Terminating (grace period)', 10, 40]]);
  assert.equal(podPhases(pod, 30), [['starting (not listening yet)', 1, 4], ['serving', 4, 10], ['Terminating (grace period)', 10, 30]], 'a grace period still running at the end');
  assert.equal(podPhases({ ...pod, listening: NaN, deleted: NaN, gone: NaN }, 30), [['starting (not listening yet)', 1, 30]]);
  assert.equal(podPhases({ ...pod, listening: 12, gone: NaN }, 30), [['starting (not listening yet)', 1, 10], ['Terminating (grace period)', 10, 30]]);
  assert.equal(podPhases({ ...pod, created: 31, listening: 34, deleted: NaN, gone: NaN }, 30), [], 'created after the end');
});

test('no figure draws NaN, and every PNG decodes at twice the SVG size with ink on it', async () => {
  for (const name of ['paper', 'grid', 'tries', 'traced']) {
    for (const [id, f] of (await draw(name)).figures) {
      assert.not.ok(f.svg.includes('NaN'), `${name}/${id} has NaN`);
      const img = decodePng(f.png);
      const size = svgSize(f.svg);
      assert.equal([img.width, img.height], [Math.round(size.width * 2), Math.round(size.height * 2)], `${name}/${id}`);
      const ink = inkStats(img);
      assert.ok(ink.colors > 20 && ink.inked > 0.02, `${name}/${id} looks blank: ${JSON.stringify(ink)}`);
    }
  }
});

test('with six replica counts every figure fits the report page (facets wrap)', async () => {
  for (const [id, f] of (await draw('replicas')).figures) {
    assert.ok(svgSize(f.svg).width <= 1180, `${id} is ${svgSize(f.svg).width} px wide`);
  }
});

test('trade-off: the period is the colour, with no text labels that could print over each other', async () => {
  for (const name of ['paper', 'replicas']) {
    const svg = await svgOf(name, 'fig4-tradeoff');
    assert.is(items(svg, 'text mark').length, 0, name);
    assert.ok(texts(svg).includes('rotation period P (s)'), `${name}: a period legend`);
  }
});

test('captions name only colours that are drawn, and the compare legend only verdicts that occur', async () => {
  const { figures } = await draw('paper');
  for (const id of ['fig1-outcomes', 'fig3-tasks-inserted']) {
    const caption = figures.get(id)!.caption;
    for (const word of ['red ', 'red,', 'purple', 'orange,']) assert.not.ok(caption.includes(word), `${id} names "${word}"`);
  }
  assert.ok(figures.get('fig1-outcomes')!.caption.startsWith('Share') && figures.get('fig1-outcomes')!.caption.includes('Red-orange is the attack'));
  const { compareFigure } = await import('../src/report/plots/compare-figure.ts');
  const { compareLive } = await import('../src/report/compare.ts');
  const { data } = await draw('paper');
  const rows = compareLive(data, paperLive).rows.filter((r) => r.verdict !== 'unknown');
  const svg = (await renderFigure(compareFigure(rows, data.varied)!.spec, { strict: true }, 'compare')).svg;
  assert.not.ok(texts(svg).includes('unknown'), 'no unknown in the legend');
});

test('text widths follow the font: narrow letters take less room than wide ones', () => {
  assert.ok(textWidth('iiii', 10) < textWidth('MMMM', 10) / 2);
  // vega's own guess without a canvas is 0.8 em per character: 211 px here.
  const w = textWidth('failed insert requests', 12);
  assert.ok(w > 120 && w < 135, String(w));
});

test.run();
