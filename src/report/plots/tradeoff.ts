/**
 * Figure 4: the trade-off the paper's figure 11 argues from: what a period
 * costs (failed insert requests) against what it buys (fewer malicious
 * tasks inserted), one point per period with 95 % CI whiskers both ways,
 * and the Pareto front (periods no other period beats on both).
 */
import type { LiveRow } from '../../live/live.ts';
import { stat, type OutputData } from '../../store/output-data.ts';
import type { TopLevelSpec } from 'vega-lite';
import {
  finite, liveLabel, liveRowsFor, only, periodsOf, present, schemaUrl, simLabel, unique, variantOf, wrappedFacet,
  type Datum, type FigureBuilder, type LayerItem,
} from './common.ts';
import { config, liveShapes, percentAxis, percentTip } from './theme.ts';

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

const simKind = 'simulated (mean, 95 % CI)';
const clip = (x: number | null, lo: number, hi: number) => (x === null ? null : Math.min(hi, Math.max(lo, x)));

function simRows(data: OutputData): Datum[] {
  const out: Datum[] = [];
  const byVariant = new Map<string, Datum[]>();
  for (const c of data.cells) {
    const cost = stat(data, c.cell, costMetric);
    const risk = stat(data, c.cell, riskMetric);
    if (!cost || !risk || !Number.isFinite(cost.mean) || !Number.isFinite(risk.mean)) continue;
    const variant = variantOf(data, c);
    const d: Datum = {
      layer: 'sim', variant, kind: simKind, series: simLabel(variant), period: c.period, x: cost.mean, y: risk.mean, n: cost.n,
      xlo: clip(finite(cost.ci_low), 0, 1), xhi: clip(finite(cost.ci_high), 0, 1),
      ylo: clip(finite(risk.ci_low), 0, 1), yhi: clip(finite(risk.ci_high), 0, 1),
    };
    out.push(d);
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), d]);
  }
  for (const [variant, pts] of byVariant) {
    const front = paretoFront(pts.map((d) => ({ x: d.x as number, y: d.y as number })))
      .map((i) => pts[i])
      .sort((a, b) => (a.x as number) - (b.x as number) || (b.y as number) - (a.y as number));
    front.forEach((d, order) => out.push({ layer: 'front', variant, period: d.period, x: d.x, y: d.y, order }));
  }
  return out;
}

/** Live points: a period (and replicas) of one source with both metrics, in every panel whose replicas they match. */
function liveRows(data: OutputData, live: readonly LiveRow[]): Datum[] {
  const risk = liveRowsFor(data, live, riskMetric).filter((r) => r.period !== 'all');
  const variants = new Map<string, Set<number>>();
  for (const c of data.cells) variants.set(variantOf(data, c), (variants.get(variantOf(data, c)) ?? new Set()).add(c.replicas));
  const out: Datum[] = [];
  for (const c of liveRowsFor(data, live, costMetric)) {
    const r = risk.find((q) => q.period === c.period && q.replicas === c.replicas && liveLabel(q.source) === liveLabel(c.source));
    if (!r || c.period === 'all') continue;
    for (const [variant, replicas] of variants) {
      if (c.replicas !== undefined && !replicas.has(c.replicas)) continue;
      out.push({
        layer: 'live', variant, kind: liveLabel(c.source), series: liveLabel(c.source), period: c.period, x: c.value, y: r.value,
        xlo: c.ci_low ?? null, xhi: c.ci_high ?? null, ylo: r.ci_low ?? null, yhi: r.ci_high ?? null,
      });
    }
  }
  return out;
}

export const tradeoffFigure: FigureBuilder = (data, live) => {
  const values = [...simRows(data), ...liveRows(data, live)];
  if (!values.some((d) => d.layer === 'sim')) return undefined;
  // Whiskers are separate layers so that a point without a CI draws none.
  for (const d of values.filter((v) => v.layer === 'sim' || v.layer === 'live')) {
    const base = { variant: d.variant, period: d.period };
    if (d.xlo !== null && d.xhi !== null) values.push({ layer: 'xci', ...base, y: d.y, xlo: d.xlo, xhi: d.xhi });
    if (d.ylo !== null && d.yhi !== null) values.push({ layer: 'yci', ...base, x: d.x, ylo: d.ylo, yhi: d.yhi });
  }
  const variants = unique(values.filter((d) => d.layer === 'sim').map((d) => d.variant as string));
  const faceted = variants.length > 1;
  const periods = periodsOf(data);
  const liveKinds = unique(values.filter((d) => d.layer === 'live').map((d) => d.kind as string));
  const axis = { format: percentAxis, labelOverlap: 'greedy' as const, tickCount: faceted ? 4 : 6 };
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: faceted ? 'insert failure rate (%)' : 'insert failure rate (%): the cost', axis, scale: { zero: true } });
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: faceted ? 'malicious share of tasks (%)' : 'malicious share of inserted tasks (%): the risk', axis, scale: { zero: true } });
  // The period is the colour (no text labels: points at the same cost would print them over each other).
  const color = {
    field: 'period', type: 'ordinal' as const, sort: periods, title: 'rotation period P (s)',
    scale: { domain: periods, scheme: { name: 'viridis', extent: [0, 0.88] } }, legend: { symbolOpacity: 1 },
  };
  const kinds = [simKind, ...liveKinds];
  const shape = { field: 'kind', type: 'nominal' as const, title: 'data', scale: { domain: kinds, range: ['circle', ...liveKinds.map((_, i) => liveShapes[i % liveShapes.length])] } };
  const tooltip = [
    { field: 'series', title: 'data' },
    { field: 'period', title: 'period (s)' },
    { field: 'x', title: 'insert failure rate', format: percentTip },
    { field: 'y', title: 'malicious share of tasks', format: percentTip },
  ];
  const layersOf = (rows: readonly Datum[]) => present<LayerItem>(rows, [
    ['front', { transform: only('front'), mark: { type: 'line', strokeDash: [6, 4], color: '#555555' }, encoding: { x: x('x'), y: y('y'), order: { field: 'order' } } }],
    ['xci', { transform: only('xci'), mark: { type: 'rule', opacity: 0.6 }, encoding: { x: x('xlo'), x2: { field: 'xhi' }, y: y('y'), color } }],
    ['yci', { transform: only('yci'), mark: { type: 'rule', opacity: 0.6 }, encoding: { y: y('ylo'), y2: { field: 'yhi' }, x: x('x'), color } }],
    ['front', { transform: only('front'), mark: { type: 'point', size: 220, strokeWidth: 1.5, color: '#555555' }, encoding: { x: x('x'), y: y('y') } }],
    ['sim', { transform: only('sim'), mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { x: x('x'), y: y('y'), color, shape, tooltip } }],
    ['live', { transform: only('live'), mark: { type: 'point', filled: true, size: 150, opacity: 1, stroke: 'black', strokeWidth: 1 }, encoding: { x: x('x'), y: y('y'), color, shape, tooltip } }],
  ]);
  const panel = faceted ? { width: 260, height: 220 } : { width: 460, height: 320 };
  return {
    id: 'fig4-tradeoff',
    title: 'Cost and benefit of each rotation period',
    caption:
      'Each point is a period, its colour the period: to the right, more insert requests fail (the insert failure rate, the cost of rotating); higher, more of the inserted tasks are malicious (the attack that got through). ' +
      'Whiskers: 95 % CI of each mean. The dashed line joins the Pareto front (ringed), the periods that no other period beats on both counts; ' +
      `${faceted ? 'One panel per variant, each with its own cost axis; ' : ''}live points are diamonds outlined in black. The paper (figure 11) picked P = 10 s from this comparison.`,
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'Cost and benefit of each rotation period', subtitle: 'lower left is better; colour: period; dashed and ringed: Pareto front (paper figure 11)' },
      // One panel per variant, each with its own data (so no panel has an empty layer) and its own cost axis:
      // one replica count can fail 100 times more often than another.
      ...(faceted
        ? {
          columns: wrappedFacet(variants, panel.width).columns,
          concat: variants.map((v) => {
            const rows = values.filter((d) => d.variant === v);
            return { title: { text: v, fontSize: 12, fontWeight: 'normal' }, data: { values: rows }, ...panel, layer: layersOf(rows) };
          }),
          resolve: { scale: { y: 'shared' } },
        }
        : { data: { values }, ...panel, layer: layersOf(values) }),
    } as TopLevelSpec,
  };
};
