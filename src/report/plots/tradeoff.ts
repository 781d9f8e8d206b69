/**
 * Figure 4: the trade-off the paper's figure 11 argues from: what a period
 * costs (failed insert requests) against what it buys (fewer malicious
 * tasks inserted), one point per period with 95 % CI whiskers both ways,
 * and the Pareto front (periods no other period beats on both).
 */
import type { LiveRow } from '../live.ts';
import { stat, type OutputData } from '../output-data.ts';
import {
  finite, liveLabel, liveRowsFor, only, present, schemaUrl, seriesScales, simLabel, unique, variantOf,
  type Datum, type FigureBuilder,
} from './common.ts';
import { config, percentAxis, percentTip } from './theme.ts';

const costMetric = 'insert_failure_rate';
const riskMetric = 'task_malicious_share';

export interface Point {
  x: number;
  y: number;
}

/** Indices of the points that no other point matches or beats on both coordinates and beats on one (lower is better). */
export function paretoFront(points: readonly Point[]): number[] {
  return points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !points.some((q) => q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)))
    .map(({ i }) => i);
}

const clip = (x: number | null, lo: number, hi: number) => (x === null ? null : Math.min(hi, Math.max(lo, x)));

function simRows(data: OutputData): Datum[] {
  const out: Datum[] = [];
  const bySeries = new Map<string, Datum[]>();
  for (const c of data.cells) {
    const cost = stat(data, c.cell, costMetric);
    const risk = stat(data, c.cell, riskMetric);
    if (!cost || !risk || !Number.isFinite(cost.mean) || !Number.isFinite(risk.mean)) continue;
    const series = simLabel(variantOf(data, c));
    const d: Datum = {
      layer: 'sim', series, period: c.period, label: `P=${c.period}`, x: cost.mean, y: risk.mean, n: cost.n,
      xlo: clip(finite(cost.ci_low), 0, 1), xhi: clip(finite(cost.ci_high), 0, 1),
      ylo: clip(finite(risk.ci_low), 0, 1), yhi: clip(finite(risk.ci_high), 0, 1),
    };
    out.push(d);
    bySeries.set(series, [...(bySeries.get(series) ?? []), d]);
  }
  for (const [series, pts] of bySeries) {
    const front = paretoFront(pts.map((d) => ({ x: d.x as number, y: d.y as number })))
      .map((i) => pts[i])
      .sort((a, b) => (a.x as number) - (b.x as number) || (b.y as number) - (a.y as number));
    front.forEach((d, order) => out.push({ layer: 'front', series, x: d.x, y: d.y, order }));
  }
  return out;
}

/** Live points: a period (and replicas) of one source with both metrics. */
function liveRows(data: OutputData, live: readonly LiveRow[]): Datum[] {
  const risk = liveRowsFor(data, live, riskMetric).filter((r) => r.period !== 'all');
  const out: Datum[] = [];
  for (const c of liveRowsFor(data, live, costMetric)) {
    const r = risk.find((q) => q.period === c.period && q.replicas === c.replicas && liveLabel(q.source) === liveLabel(c.source));
    if (!r || c.period === 'all') continue;
    out.push({
      layer: 'live', series: liveLabel(c.source), period: c.period, label: `P=${c.period}`, x: c.value, y: r.value,
      xlo: c.ci_low ?? null, xhi: c.ci_high ?? null, ylo: r.ci_low ?? null, yhi: r.ci_high ?? null,
    });
  }
  return out;
}

export const tradeoffFigure: FigureBuilder = (data, live) => {
  const values = [...simRows(data), ...liveRows(data, live)];
  if (!values.some((d) => d.layer === 'sim')) return undefined;
  // Whiskers are separate layers so that a point without a CI draws none.
  for (const d of values.filter((v) => v.layer === 'sim' || v.layer === 'live')) {
    if (d.xlo !== null && d.xhi !== null) values.push({ layer: 'xci', series: d.series, y: d.y, xlo: d.xlo, xhi: d.xhi });
    if (d.ylo !== null && d.yhi !== null) values.push({ layer: 'yci', series: d.series, x: d.x, ylo: d.ylo, yhi: d.yhi });
  }
  const simSeries = unique(values.filter((d) => d.layer === 'sim').map((d) => d.series as string));
  const liveSeries = unique(values.filter((d) => d.layer === 'live').map((d) => d.series as string));
  const scales = seriesScales(simSeries, liveSeries);
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: 'failed insert requests (% of insert requests): the cost', axis: { format: percentAxis } });
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: 'malicious share of inserted tasks (%): the risk', axis: { format: percentAxis } });
  const color = { field: 'series', type: 'nominal' as const, scale: scales.color, legend: { title: 'data', symbolOpacity: 1 } };
  const shape = { field: 'series', type: 'nominal' as const, scale: scales.shape, legend: { title: 'data' } };
  const tooltip = [
    { field: 'series', title: 'data' },
    { field: 'period', title: 'period (s)' },
    { field: 'x', title: 'failed insert requests', format: percentTip },
    { field: 'y', title: 'malicious share of tasks', format: percentTip },
  ];
  const text = { field: 'label', type: 'nominal' as const };
  return {
    id: 'fig4-tradeoff',
    title: 'Cost and benefit of each rotation period',
    caption:
      'Each point is a period: to the right, more insert requests fail (the cost of rotating); higher, more of the inserted tasks are malicious (the attack that got through). ' +
      'Whiskers: 95 % CI of each mean. The dashed line joins the Pareto front, the periods that no other period beats on both counts; ' +
      'the paper (figure 11) picked P = 10 s from this comparison.',
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'Cost and benefit of each rotation period', subtitle: 'lower left is better; dashed: Pareto front (paper figure 11)' },
      data: { values },
      width: 460,
      height: 320,
      layer: present(values, [
        ['front', { transform: only('front'), mark: { type: 'line', strokeDash: [6, 4], opacity: 0.8 }, encoding: { x: x('x'), y: y('y'), order: { field: 'order' }, color } }],
        ['xci', { transform: only('xci'), mark: { type: 'rule', opacity: 0.7 }, encoding: { x: x('xlo'), x2: { field: 'xhi' }, y: y('y'), color } }],
        ['yci', { transform: only('yci'), mark: { type: 'rule', opacity: 0.7 }, encoding: { y: y('ylo'), y2: { field: 'yhi' }, x: x('x'), color } }],
        ['sim', { transform: only('sim'), mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { x: x('x'), y: y('y'), color, shape, tooltip } }],
        ['front', { transform: only('front'), mark: { type: 'point', size: 220, strokeWidth: 1.5 }, encoding: { x: x('x'), y: y('y'), color } }],
        ['live', { transform: only('live'), mark: { type: 'point', filled: true, size: 150, opacity: 1 }, encoding: { x: x('x'), y: y('y'), color, shape, tooltip } }],
        ['sim', { transform: only('sim'), mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11 }, encoding: { x: x('x'), y: y('y'), text, color } }],
        ['live', { transform: only('live'), mark: { type: 'text', align: 'right', dx: -9, dy: -9, fontSize: 11 }, encoding: { x: x('x'), y: y('y'), text, color } }],
      ]),
    },
  };
};
