/** The growth figure: events per second and peak memory per grown dimension (Vega-Lite). */
import type { TopLevelSpec } from 'vega-lite';

export interface GrowthRow {
  dimension: string;
  value: number;
  eventsPerRep: number;
  eventsPerSecond: number;
  min: number;
  max: number;
  peakMB: number;
}

const titles: Record<string, string> = {
  services: 'services (replicas 3)',
  replicas: 'replicas per service',
  records: 'dataset records',
  period: 'rotation period P (s)',
};

export function growthFigure(rows: readonly GrowthRow[]): TopLevelSpec {
  const values = rows.map((r, i) => ({
    ...r,
    order: i,
    label: r.value === Infinity ? 'inf' : String(r.value),
    panel: titles[r.dimension] ?? r.dimension,
    eventsPerRep: Math.round(r.eventsPerRep),
  }));
  const x = { field: 'label', type: 'ordinal' as const, sort: { field: 'order' }, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'How speed and memory grow with the size of the problem',
      subtitle: 'events per second (median, whisker: min-max); labels: peak memory of the process (MB)',
    },
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: Object.values(titles) } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 150,
      height: 160,
      layer: [
        {
          mark: { type: 'rule', color: '#0072B2' },
          encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' } },
        },
        {
          mark: { type: 'line', point: true, color: '#0072B2' },
          encoding: {
            x,
            y: { field: 'eventsPerSecond', type: 'quantitative', title: 'events per second', axis: { format: '~s' } },
            tooltip: [
              { field: 'label', title: 'value' },
              { field: 'eventsPerSecond', format: '.3~s', title: 'events/s' },
              { field: 'eventsPerRep', title: 'events/rep' },
              { field: 'peakMB', format: '.0f', title: 'peak MB' },
            ],
          },
        },
        {
          mark: { type: 'text', dy: -10, fontSize: 9, color: '#555' },
          encoding: { x, y: { field: 'eventsPerSecond', type: 'quantitative' }, text: { field: 'peakMB', format: '.0f' } },
        },
      ],
    },
  } as TopLevelSpec;
}
