/**
 * Figure 2: the failure rate of insert requests per period with its 95 %
 * confidence band (the paper's figure 9), live points beside it, and the
 * mean over all periods as a dashed line (the paper's baseline).
 */
import type { LiveRow } from '../../live/live.ts';
import { stat, type OutputData } from '../../store/output-data.ts';
import {
  cellsWith, finite, liveLabel, liveRowsFor, only, periodWidth, periodsOf, present, schemaUrl, seriesScales, simLabel, unique, variantOf,
  variantsOf, type Datum, type FigureBuilder,
} from './common.ts';
import { config, percentAxis, percentTip, periodTitle } from './theme.ts';

const metric = 'insert_failure_rate';

function rows(data: OutputData, live: readonly LiveRow[]): Datum[] {
  const out: Datum[] = [];
  for (const c of cellsWith(data, metric)) {
    const s = stat(data, c.cell, metric)!;
    const series = simLabel(variantOf(data, c));
    out.push({ layer: 'sim', period: c.period, series, mean: s.mean, n: s.n });
    // A rate is never negative: the t interval of a mean near 0 is clipped there.
    const [lo, hi] = [finite(Math.max(0, s.ci_low)), finite(Math.min(1, s.ci_high))];
    if (lo !== null && hi !== null) out.push({ layer: 'simci', period: c.period, series, lo, hi });
  }
  const simMeans = out.filter((d) => d.layer === 'sim').map((d) => d.mean as number);
  if (variantsOf(data).length === 1 && simMeans.length > 1) {
    const value = simMeans.reduce((a, b) => a + b, 0) / simMeans.length;
    out.push({ layer: 'all', series: out[0].series, value, label: `simulated, mean over periods: ${(value * 100).toPrecision(3)} %` });
  }
  for (const r of liveRowsFor(data, live, metric)) {
    const series = liveLabel(r.source);
    if (r.period === 'all') {
      out.push({ layer: 'all', series, value: r.value, source: r.source, label: `${series}, mean over periods: ${(r.value * 100).toPrecision(3)} %` });
    } else {
      out.push({ layer: 'live', period: r.period, series, value: r.value, source: r.source });
      if (r.ci_low !== undefined && r.ci_high !== undefined) out.push({ layer: 'liveci', period: r.period, series, lo: r.ci_low, hi: r.ci_high });
    }
  }
  return out;
}

export const failureFigure: FigureBuilder = (data, live) => {
  const values = rows(data, live);
  if (!values.some((d) => d.layer === 'sim')) return undefined;
  const simSeries = unique(values.filter((d) => d.layer === 'sim').map((d) => d.series as string));
  const liveSeries = unique(values.filter((d) => d.layer === 'live' || (d.layer === 'all' && d.source)).map((d) => d.series as string));
  const scales = seriesScales(simSeries, liveSeries);
  const x = { field: 'period', type: 'nominal' as const, sort: periodsOf(data), title: periodTitle };
  const y = (field: string) => ({
    field,
    type: 'quantitative' as const,
    title: 'failed insert requests (% of insert requests)',
    axis: { format: percentAxis },
    scale: { zero: true },
  });
  const color = { field: 'series', type: 'nominal' as const, scale: scales.color, legend: { title: 'data', symbolOpacity: 1 } };
  const shape = { field: 'series', type: 'nominal' as const, scale: scales.shape, legend: { title: 'data' } };
  const tip = (value: string) => [
    { field: 'series', title: 'data' },
    { field: 'period', title: 'period (s)' },
    { field: value, title: 'insert failure rate', format: percentTip },
  ];
  return {
    id: 'fig2-failure-rate',
    title: 'Failed insert requests by rotation period',
    caption:
      'The insert failure rate: the share of insert requests that ended in an HTTP error (the paper\'s "fallos", its figure 9; ' +
      'the failure rate over all requests, lookups included, is the failure_rate column of summary.csv), mean over the replications with the 95 % confidence interval ' +
      'of the mean (band and whiskers). Dashed lines: the mean over all periods, the baseline the paper drew. Live points (dark diamonds) come from --live.',
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'Failed insert requests by rotation period', subtitle: 'insert failure rate (paper figure 9): mean over replications, 95 % confidence interval' },
      data: { values },
      width: periodWidth(data, 70),
      height: 300,
      layer: present(values, [
        ['simci', { transform: only('simci'), mark: { type: 'errorband', opacity: 0.2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color } }],
        ['simci', { transform: only('simci'), mark: { type: 'rule' }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color } }],
        ['sim', { transform: only('sim'), mark: { type: 'line' }, encoding: { x, y: y('mean'), color } }],
        ['sim', { transform: only('sim'), mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { x, y: y('mean'), color, shape, tooltip: tip('mean') } }],
        ['liveci', { transform: only('liveci'), mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color } }],
        ['live', { transform: only('live'), mark: { type: 'point', filled: true, size: 150, opacity: 1 }, encoding: { x, y: y('value'), color, shape, tooltip: tip('value') } }],
        ['all', { transform: only('all'), mark: { type: 'rule', strokeDash: [6, 4] }, encoding: { y: y('value'), color } }],
        [
          'all',
          {
            transform: only('all'),
            mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, fontSize: 10 },
            encoding: { y: y('value'), x: { value: 'width' }, text: { field: 'label' }, color },
          },
        ],
      ]),
    },
  };
};
