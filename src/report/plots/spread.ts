/**
 * Figure 6: the spread the defense buys. Without rotation the share of
 * python pods is fixed by the first draw, so a run is either lucky or not;
 * rotation averages it out. One dot per replication (jittered sideways),
 * the p5-p95 range and the median from summary.csv.
 */
import type { LiveRow } from '../../live/live.ts';
import { stat, type OutputData } from '../../store/output-data.ts';
import {
  finite, liveLabel, liveRowsFor, only, periodWidth, periodsOf, present, schemaUrl, unique, variantOf, variantsOf, type Datum,
  type FigureBuilder, type LayerItem, wrappedFacet,
} from './common.ts';
import { config, liveColors, okabeIto, percentAxis, percentTip, periodTitle, periodTitleShort } from './theme.ts';

const metric = 'task_malicious_share';
const runLabel = 'one replication';
const rangeLabel = 'p5 to p95 of the replications';
const medianLabel = 'median';

/** A fixed sideways offset in [-0.5, 0.5) per replication (golden-ratio sequence: spread out, and no randomness). */
export function jitter(rep: number): number {
  return ((rep * 0.6180339887498949) % 1) - 0.5;
}

function rows(data: OutputData, live: readonly LiveRow[]): Datum[] {
  const cells = new Map(data.cells.map((c) => [c.cell, c]));
  const out: Datum[] = [];
  for (const r of data.runs) {
    const c = cells.get(r.cell);
    const v = finite(r.values[metric]);
    if (!c || v === null) continue;
    out.push({ layer: 'run', period: c.period, variant: variantOf(data, c), rep: r.rep, value: v, jitter: jitter(r.rep), kind: runLabel });
  }
  for (const c of data.cells) {
    const s = stat(data, c.cell, metric);
    const [p5, p50, p95] = [finite(s?.p5), finite(s?.p50), finite(s?.p95)];
    if (p5 === null || p50 === null || p95 === null) continue;
    const base = { period: c.period, variant: variantOf(data, c), p5, p50, p95, n: s!.n, jitter: 0 };
    out.push({ layer: 'range', ...base, kind: rangeLabel }, { layer: 'median', ...base, kind: medianLabel });
  }
  for (const variant of variantsOf(data)) {
    for (const r of liveRowsFor(data, live, metric)) {
      if (r.period !== 'all') out.push({ layer: 'live', period: r.period, variant, value: r.value, kind: liveLabel(r.source), source: r.source, jitter: 0 });
    }
  }
  return out;
}

export const spreadFigure: FigureBuilder = (data, live) => {
  const values = rows(data, live);
  if (!values.some((d) => d.layer === 'run')) return undefined;
  const liveKinds = unique(values.filter((d) => d.layer === 'live').map((d) => d.kind as string));
  const domain = [runLabel, rangeLabel, medianLabel, ...liveKinds];
  const range = [okabeIto.blue, '#9ecae9', '#333333', ...liveKinds.map((_, i) => liveColors[i % liveColors.length])];
  const shapes = ['circle', 'square', 'stroke', ...liveKinds.map(() => 'diamond')];
  const variants = variantsOf(data);
  const faceted = variants.length > 1;
  const x = { field: 'period', type: 'nominal' as const, sort: periodsOf(data), title: faceted ? periodTitleShort : periodTitle };
  const y = (field: string) => ({
    field,
    type: 'quantitative' as const,
    title: 'malicious share of inserted tasks (%), per run',
    axis: { format: percentAxis },
  });
  const color = { field: 'kind', type: 'nominal' as const, scale: { domain, range }, legend: { title: null, symbolOpacity: 1 } };
  const shape = { field: 'kind', type: 'nominal' as const, scale: { domain, range: shapes }, legend: { title: null, symbolOpacity: 1 } };
  // Every layer shares the sideways offset scale, so 0 is the middle of the period's band for all of them.
  const xOffset = { field: 'jitter', type: 'quantitative' as const, scale: { domain: [-1.2, 1.2] } };
  const layer = present<LayerItem>(values, [
    ['range', { transform: only('range'), mark: { type: 'bar', width: 26, opacity: 0.6 }, encoding: { x, xOffset, y: y('p5'), y2: { field: 'p95' }, color, tooltip: [
      { field: 'period', title: 'period (s)' },
      { field: 'p5', title: 'p5', format: percentTip },
      { field: 'p50', title: 'median', format: percentTip },
      { field: 'p95', title: 'p95', format: percentTip },
      { field: 'n', title: 'replications' },
    ] } }],
    ['median', { transform: only('median'), mark: { type: 'point', size: 1100, strokeWidth: 2.5, opacity: 1 }, encoding: { x, xOffset, y: y('p50'), color, shape } }],
    ['run', {
      name: 'run_dots',
      transform: only('run'),
      // No aria-label per dot: thousands of them read one by one say nothing a listener can use (the bars and
      // medians keep theirs, and the figure its title), and they were half of the SVG and of its drawing time.
      mark: { type: 'point', filled: true, size: 18, opacity: 0.65, aria: false },
      encoding: {
        x, xOffset, y: y('value'), color, shape,
        tooltip: [{ field: 'period', title: 'period (s)' }, { field: 'rep', title: 'replication' }, { field: 'value', title: 'malicious share', format: percentTip }],
      },
    }],
    ['live', { transform: only('live'), mark: { type: 'point', filled: true, size: 150, opacity: 1 }, encoding: { x, xOffset, y: y('value'), color, shape } }],
  ]);
  const title = {
    text: 'How much the malicious share varies from run to run',
    subtitle: 'tasks; one dot per replication, bar from p5 to p95, tick at the median; period inf: no rotation',
  };
  const common = { $schema: schemaUrl, config, title, data: { values } };
  return {
    id: 'fig6-spread',
    title: 'How much the malicious share varies from run to run',
    caption:
      'The malicious share of inserted tasks in every replication (dots, spread sideways only to be seen), with the range from the 5th to the 95th percentile ' +
      'and the median. Without rotation a run keeps the implementations it started with, so it is all or nothing; rotation narrows the range.',
    spec: faceted
      ? { ...common, ...wrappedFacet(variants, 50 * periodsOf(data).length), spec: { width: { step: 50 }, height: 240, layer } }
      : { ...common, width: periodWidth(data, 70), height: 300, layer },
  };
};
