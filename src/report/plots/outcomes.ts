/**
 * Figure 1: what happened to the records of each type, per period, as
 * normalized stacked bars (the paper's figures 6-8 were one pie per period;
 * bars put the periods side by side).
 */
import { outcomes, recordTypes } from '../../schema/metric-names.ts';
import { stat } from '../../store/output-data.ts';
import { finite, periodsOf, schemaUrl, variantOf, variantsOf, type Datum, type FigureBuilder } from './common.ts';
import { config, rowHeader, outcomeStyle, percentTip, periodTitleShort } from './theme.ts';

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const typeLabel = { user: 'users', project: 'projects', task: 'tasks' } as const;

export const outcomesFigure: FigureBuilder = (data) => {
  const rows: Datum[] = [];
  for (const c of data.cells) {
    for (const t of recordTypes) {
      outcomes.forEach((o, order) => {
        const s = stat(data, c.cell, `${t}_${o}_frac`);
        const share = finite(s?.mean);
        if (share === null) return;
        rows.push({ period: c.period, variant: variantOf(data, c), type: typeLabel[t], outcome: outcomeStyle[o].label, order, share, n: s!.n });
      });
    }
  }
  if (rows.length === 0) return undefined;
  const variants = variantsOf(data);
  const labels = outcomes.map((o) => outcomeStyle[o].label);
  const facet = {
    column: { field: 'type', type: 'nominal' as const, sort: Object.values(typeLabel), title: null, header: { labelFontWeight: 'bold' as const } },
    ...(variants.length > 1 ? { row: { field: 'variant', type: 'nominal' as const, sort: variants, title: null, header: rowHeader } } : {}),
  };
  return {
    id: 'fig1-outcomes',
    title: 'Outcome of every record, by type and rotation period',
    caption:
      'Share of each record type\'s dataset (5 users, 10 projects, 1000 tasks by default) by outcome, averaged over the replications of each period. ' +
      `${cap(outcomeStyle.inserted_malicious.colorName)} is the attack that got through (a malicious record inserted by the vulnerable implementation); ` +
      `${outcomeStyle.inserted_clean.colorName}, clean records inserted; ${outcomeStyle.rejected.colorName}, malicious records a safe implementation rejected; ` +
      `${outcomeStyle.failed.colorName}, records lost to a failed request; ${outcomeStyle.orphaned.colorName}, records never sent because their user or project was missing. ` +
      'The paper\'s figures 6-8 show the same shares as pies.',
    spec: {
      $schema: schemaUrl,
      config,
      title: { text: 'Outcome of every record, by type and rotation period', subtitle: 'mean share of the type\'s records over the replications; period inf: no rotation' },
      data: { values: rows },
      facet,
      spec: {
        width: { step: 30 },
        height: 240,
        mark: { type: 'bar' },
        encoding: {
          // A column of one or two bars is too narrow for the long title.
          x: { field: 'period', type: 'nominal', sort: periodsOf(data), title: periodsOf(data).length > 2 ? periodTitleShort : 'P (s)' },
          y: {
            field: 'share',
            type: 'quantitative',
            stack: 'normalize',
            title: 'share of the records (%)',
            axis: { format: '%' },
          },
          color: {
            field: 'outcome',
            type: 'nominal',
            sort: labels,
            scale: { domain: labels, range: outcomes.map((o) => outcomeStyle[o].color) },
            legend: { title: 'outcome of a record', orient: 'bottom', direction: 'vertical' },
          },
          order: { field: 'order', type: 'quantitative', sort: 'ascending' },
          tooltip: [
            { field: 'type', title: 'record type' },
            { field: 'period', title: 'period (s)' },
            { field: 'outcome', title: 'outcome' },
            { field: 'share', title: 'mean share', format: percentTip },
            { field: 'n', title: 'replications' },
          ],
        },
      },
    },
  };
};
