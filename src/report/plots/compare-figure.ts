/**
 * The comparison figure (`sim compare`): one panel per metric (each with its
 * own axis, so rates and counts can share the figure), one row per place it
 * was compared (period, replicas, variant). A grey bar is the range a live
 * value should fall in, the blue point and whisker the simulated mean and
 * its 95 % CI, the diamond the live value: green inside, vermillion outside.
 */
import type { TopLevelSpec } from 'vega-lite';
import { isFractionMetric, placeLabel, type Comparison } from '../compare.ts';
import { finite, schemaUrl, type Datum, type Figure } from './common.ts';
import { config, okabeIto, percentAxis, percentTip } from './theme.ts';

const verdictColor = { inside: okabeIto.green, outside: okabeIto.vermillion, unknown: okabeIto.grey } as const;

/** The verdicts that occur, in a fixed order: the legend lists no verdict that is not drawn. */
function verdictScale(rows: readonly Comparison[]) {
  const domain = (['inside', 'outside', 'unknown'] as const).filter((v) => rows.some((r) => r.verdict === v));
  return { domain, range: domain.map((v) => verdictColor[v]) };
}

export function compareFigure(rows: readonly Comparison[], varied: readonly string[]): Figure | undefined {
  if (rows.length === 0) return undefined;
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const data: Datum[] = rows.map((r) => {
    // A rate's interval is drawn clipped to [0, 1], the rule of every table and figure (compare.csv keeps it raw).
    const clip = (x: number) => (isFractionMetric(r.metric) ? Math.min(1, Math.max(0, x)) : x);
    return {
      metric: r.metric,
      place: placeLabel(r, varied),
      mean: finite(r.sim.mean),
      ci_low: finite(clip(r.sim.ci_low)),
      ci_high: finite(clip(r.sim.ci_high)),
      low: finite(clip(r.low)),
      high: finite(clip(r.high)),
      live: finite(r.live.value),
      verdict: r.verdict,
      source: r.live.source,
    };
  });
  const spec = {
    $schema: schemaUrl,
    title: {
      text: 'Simulation against live results',
      subtitle: [
        'grey bar: where a live value should fall (p5..p95 of single simulated runs; for a live mean of n runs, 90 % of such means)',
        'blue: simulated mean with its 95 % CI; diamond: the live value',
      ],
    },
    data: { values: data },
    vconcat: metrics.map((m) => panel(m, rows.filter((r) => r.metric === m).length, verdictScale(rows))),
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config,
  } as unknown as TopLevelSpec;
  return {
    id: 'compare',
    title: 'Simulation against live results',
    caption: 'Each row is one live value at one simulated cell; the verdict is inside when the diamond lies on the grey bar.',
    spec,
  };
}

function panel(metric: string, count: number, verdicts: ReturnType<typeof verdictScale>) {
  const fmt = isFractionMetric(metric) ? percentAxis : '~s';
  const tip = isFractionMetric(metric) ? percentTip : '.4~g';
  const x = (field: string) => ({ field, type: 'quantitative', title: metric, axis: { format: fmt, tickCount: 6 }, scale: { zero: false } });
  const y = { field: 'place', type: 'nominal', title: null, sort: null };
  const tooltip = [
    { field: 'place', title: 'where' },
    { field: 'mean', title: 'simulated mean', format: tip },
    { field: 'low', title: 'range low', format: tip },
    { field: 'high', title: 'range high', format: tip },
    { field: 'live', title: 'live', format: tip },
    { field: 'verdict' },
    { field: 'source' },
  ];
  return {
    width: 460,
    height: Math.max(24, 26 * count),
    transform: [{ filter: { field: 'metric', equal: metric } }],
    layer: [
      { mark: { type: 'rule', size: 10, color: '#d9d9d9' }, encoding: { x: x('low'), x2: { field: 'high' }, y, tooltip } },
      { mark: { type: 'rule', size: 2, color: okabeIto.blue }, encoding: { x: x('ci_low'), x2: { field: 'ci_high' }, y } },
      { mark: { type: 'point', filled: true, opacity: 1, size: 50, color: okabeIto.blue }, encoding: { x: x('mean'), y, tooltip } },
      {
        mark: { type: 'point', shape: 'diamond', filled: true, opacity: 1, size: 110, stroke: 'black', strokeWidth: 0.5 },
        encoding: {
          x: x('live'),
          y,
          color: { field: 'verdict', type: 'nominal', title: 'live value', scale: verdicts },
          tooltip,
        },
      },
    ],
  };
}
