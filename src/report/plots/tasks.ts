/**
 * Figure 3: tasks inserted per period, split into clean and malicious,
 * against the optimal run (every clean task of clean projects of clean
 * users inserted, every malicious one rejected: 360 by default), the
 * paper's figure 10.
 */
import type { LiveRow } from '../../live/live.ts';
import { stat, type OutputData } from '../../store/output-data.ts';
import {
  cellsWith, finite, liveLabel, liveRowsFor, only, periodWidth, periodsOf, present, schemaUrl, unique, variantOf, variantsOf,
  type Datum, type FigureBuilder, type LayerItem, wrappedFacet,
} from './common.ts';
import { config, liveColors, okabeIto, outcomeStyle, periodTitle, periodTitleShort } from './theme.ts';

const clean = 'inserted clean tasks (mean)';
const malicious = 'inserted malicious tasks (mean)';
const optimal = 'optimal run (simulated dataset)';

function rows(data: OutputData, live: readonly LiveRow[]): Datum[] {
  const out: Datum[] = [];
  for (const c of cellsWith(data, 'tasks_inserted')) {
    const base = { period: c.period, variant: variantOf(data, c) };
    const total = stat(data, c.cell, 'tasks_inserted')!;
    const parts = [
      [malicious, 'task_inserted_malicious', 0],
      [clean, 'task_inserted_clean', 1],
    ] as const;
    for (const [series, metric, order] of parts) {
      const v = finite(stat(data, c.cell, metric)?.mean);
      if (v !== null) out.push({ layer: 'bar', ...base, series, value: v, order, total: total.mean, n: total.n });
    }
    const [lo, hi] = [finite(total.ci_low), finite(total.ci_high)];
    if (lo !== null && hi !== null) out.push({ layer: 'ci', ...base, lo, hi });
    const opt = finite(stat(data, c.cell, 'tasks_optimal')?.mean);
    if (opt !== null) out.push({ layer: 'optimal', ...base, series: optimal, value: opt });
  }
  for (const variant of variantsOf(data)) {
    for (const r of liveRowsFor(data, live, 'tasks_inserted')) {
      if (r.period !== 'all') out.push({ layer: 'live', period: r.period, variant, series: liveLabel(r.source), value: r.value, source: r.source });
    }
    for (const r of liveRowsFor(data, live, 'tasks_optimal')) {
      const series = `${liveLabel(r.source)}, optimal run`;
      out.push({ layer: 'liveOptimal', variant, series, value: r.value, source: r.source });
    }
  }
  return out;
}

/** Below the panels when they wrap, so that three columns fit the page. */
const legendBelow = { ...config, legend: { ...config.legend, orient: 'bottom' as const, direction: 'vertical' as const } };

export const tasksFigure: FigureBuilder = (data, live) => {
  const values = rows(data, live);
  if (!values.some((d) => d.layer === 'bar')) return undefined;
  const liveSeries = unique(values.filter((d) => d.layer === 'live' || d.layer === 'liveOptimal').map((d) => d.series as string));
  const domain = [malicious, clean, optimal, ...liveSeries];
  const range = [outcomeStyle.inserted_malicious.color, outcomeStyle.inserted_clean.color, okabeIto.black, ...liveSeries.map((_, i) => liveColors[(i + 1) % liveColors.length])];
  const variants = variantsOf(data);
  const faceted = variants.length > 1;
  const x = { field: 'period', type: 'nominal' as const, sort: periodsOf(data), title: faceted ? periodTitleShort : periodTitle };
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: 'tasks inserted per run' });
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range }, legend: { title: null, symbolOpacity: 1 } };
  const shapes = ['square', 'square', 'stroke', ...liveSeries.map((s) => (s.endsWith('optimal run') ? 'stroke' : 'diamond'))];
  const shape = { field: 'series', type: 'nominal' as const, scale: { domain, range: shapes }, legend: { title: null, symbolOpacity: 1 } };
  const tooltip = [
    { field: 'period', title: 'period (s)' },
    { field: 'series', title: 'part' },
    { field: 'value', title: 'tasks', format: '.1f' },
    { field: 'total', title: 'all inserted tasks (mean)', format: '.1f' },
  ];
  const layer = present<LayerItem>(values, [
    ['bar', { transform: only('bar'), mark: { type: 'bar', width: { band: 0.7 } }, encoding: { x, y: { ...y('value'), stack: 'zero' as const }, color, order: { field: 'order', type: 'quantitative' as const }, tooltip } }],
    ['ci', { transform: only('ci'), mark: { type: 'rule', color: '#222' }, encoding: { x, y: y('lo'), y2: { field: 'hi' } } }],
    ['optimal', { transform: only('optimal'), mark: { type: 'point', size: 2000, strokeWidth: 2.5, opacity: 1 }, encoding: { x, y: y('value'), color, shape } }],
    ['live', { transform: only('live'), mark: { type: 'point', filled: true, size: 150, opacity: 1 }, encoding: { x, y: y('value'), color, shape } }],
    ['liveOptimal', { transform: only('liveOptimal'), mark: { type: 'rule', strokeDash: [6, 4] }, encoding: { y: y('value'), color } }],
  ]);
  const title = {
    text: 'Tasks inserted per run, against the optimal run',
    subtitle: 'mean over replications, whisker: 95 % CI of the total (paper figure 10)',
  };
  const common = { $schema: schemaUrl, config, title, data: { values } };
  return {
    id: 'fig3-tasks-inserted',
    title: 'Tasks inserted per run, against the optimal run',
    caption:
      `Tasks inserted per run (clean in ${outcomeStyle.inserted_clean.colorName}, malicious in ${outcomeStyle.inserted_malicious.colorName}; mean over replications, whisker: 95 % CI of the total) next to the optimal run ` +
      '(black line: every clean task of a clean project of a clean user inserted and every malicious one rejected, 360 with the paper\'s dataset). ' +
      'Fewer than optimal means failures and orphaned tasks; more means malicious tasks got in. The paper\'s figure 10.',
    spec: faceted
      ? { ...common, config: legendBelow, ...wrappedFacet(variants, 44 * periodsOf(data).length), spec: { width: { step: 44 }, height: 240, layer } }
      : { ...common, width: periodWidth(data, 60), height: 300, layer },
  };
};
