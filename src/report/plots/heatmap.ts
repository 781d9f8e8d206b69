/**
 * Figure 5: for a sweep of replicas x periods, two heatmaps side by side:
 * failed insert requests and the malicious share of inserted tasks, one
 * cell per (replicas, period), the mean written in it.
 */
import { stat } from '../../store/output-data.ts';
import { finite, periodsOf, replicaCounts, schemaUrl, variantOf, variantsOf, type Datum, type FigureBuilder } from './common.ts';
import { config, rowHeader, percentTip, periodTitleShort } from './theme.ts';

const panels = [
  { metric: 'insert_failure_rate', title: 'insert failure rate (failed insert requests)', scheme: 'oranges' },
  { metric: 'task_malicious_share', title: 'malicious share of inserted tasks', scheme: 'reds' },
] as const;

export const heatmapFigure: FigureBuilder = (data) => {
  const periods = periodsOf(data);
  const replicas = replicaCounts(data);
  if (periods.length < 2 || replicas.length < 2) return undefined;
  const variants = variantsOf(data, false);
  const facetRow = variants.length > 1;
  const hconcat = panels.map(({ metric, title, scheme }) => {
    const values: Datum[] = [];
    for (const c of data.cells) {
      const s = stat(data, c.cell, metric);
      const mean = finite(s?.mean);
      if (mean !== null) values.push({ period: c.period, replicas: c.replicas, variant: variantOf(data, c, false), mean, n: s!.n });
    }
    const max = Math.max(0, ...values.map((d) => d.mean as number));
    const encoding = {
      x: { field: 'period', type: 'ordinal' as const, sort: periods, title: periodTitleShort },
      y: { field: 'replicas', type: 'ordinal' as const, sort: 'descending' as const, title: 'replicas per service' },
    };
    const layer = [
      {
        mark: { type: 'rect' as const, stroke: 'white', strokeWidth: 1 },
        encoding: {
          ...encoding,
          color: {
            field: 'mean',
            type: 'quantitative' as const,
            title: `${title} (%)`,
            scale: { scheme, domainMin: 0 },
            legend: { format: '.1~%', orient: 'bottom' as const, gradientLength: 180 },
          },
          tooltip: [
            { field: 'replicas', title: 'replicas' },
            { field: 'period', title: 'period (s)' },
            { field: 'mean', title, format: percentTip },
            { field: 'n', title: 'replications' },
          ],
        },
      },
      {
        mark: { type: 'text' as const, fontSize: 10 },
        encoding: {
          ...encoding,
          text: { field: 'mean', type: 'quantitative' as const, format: '.2~%' },
          // Dark cells get white text.
          color: { condition: { test: `datum.mean > ${max * 0.6}`, value: 'white' }, value: 'black' },
        },
      },
    ];
    const size = { width: { step: 46 }, height: { step: 30 } };
    const head = { title: { text: title, fontSize: 13 }, data: { values } };
    return facetRow
      ? { ...head, facet: { row: { field: 'variant', type: 'nominal' as const, sort: variants, title: null, header: rowHeader } }, spec: { ...size, layer } }
      : { ...head, ...size, layer };
  });
  return {
    id: 'fig5-heatmaps',
    title: 'Replicas and period together',
    caption:
      'For a sweep over replicas per service and rotation period: the mean share of failed insert requests (left) and the mean malicious share of ' +
      'inserted tasks (right) in every combination. More replicas dilute each kill; shorter periods rotate the vulnerable implementation out sooner.',
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'Replicas and period together', subtitle: 'mean over replications; period inf: no rotation' },
      hconcat,
      resolve: { scale: { color: 'independent' } },
      spacing: 40,
    },
  };
};
