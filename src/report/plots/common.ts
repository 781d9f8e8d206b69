/**
 * What the figure builders share: the Figure type, sweep variants (cells
 * that differ in something other than the period), JSON-safe values, and
 * how live rows are matched and labelled.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { LiveRow } from '../../live/live.ts';
import { stat, type Cell, type OutputData } from '../../store/output-data.ts';
import { liveColors, liveShapes, periodOrder, seriesColors } from './theme.ts';

export const schemaUrl = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface Figure {
  /** File stem, e.g. `fig2-failure-rate`. */
  id: string;
  title: string;
  /** What the figure shows and how to read it, for the report. */
  caption: string;
  spec: TopLevelSpec;
}

/** A figure from the outputs and live rows, or undefined when the outputs lack its data. */
export type FigureBuilder = (data: OutputData, live: readonly LiveRow[]) => Figure | undefined;

export type Datum = Record<string, string | number | boolean | null>;

/** One layer of a layered Vega-Lite spec. */
export type LayerItem = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Numbers for JSON: NaN and infinities become null (drawn as missing). */
export function finite(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

const replicaCountsOf = new WeakMap<OutputData, readonly number[]>();

/** The distinct replica counts, ascending (once per output: variantOf asks it for every cell). */
export function replicaCounts(data: OutputData): readonly number[] {
  let counts = replicaCountsOf.get(data);
  if (counts === undefined) {
    counts = [...new Set(data.cells.map((c) => c.replicas))].sort((a, b) => a - b);
    replicaCountsOf.set(data, counts);
  }
  return counts;
}

/**
 * What sets a cell apart besides its period: the replicas (when they vary,
 * unless excluded) and the other varied paths. Empty when nothing does.
 */
export function variantOf(data: OutputData, c: Cell, withReplicas = true): string {
  const parts: string[] = [];
  if (withReplicas && replicaCounts(data).length > 1) parts.push(`replicas=${c.replicas}`);
  for (const p of data.varied) parts.push(`${p}=${c.vary[p]}`);
  return parts.join(', ');
}

/** The distinct variants in cell order (one empty string when there is a single one). */
export function variantsOf(data: OutputData, withReplicas = true): string[] {
  return [...new Set(data.cells.map((c) => variantOf(data, c, withReplicas)))];
}

/** Width of a chart with one band per period: `step` pixels each, but never so narrow that titles and labels spill over. */
export function periodWidth(data: OutputData, step: number, min = 340): number {
  return Math.max(min, step * periodsOf(data).length);
}

/** Width of the report's page for figures (report.html's max-width less its padding). */
export const pageWidth = 1100;

/**
 * A facet over the variants that wraps into rows, so that a figure of many
 * variants stays as wide as the page: as many columns of `panelWidth` pixels
 * (plus the y axis of each) as fit.
 */
export function wrappedFacet(variants: readonly string[], panelWidth: number) {
  const columns = Math.max(1, Math.min(variants.length, Math.floor(pageWidth / (panelWidth + 80))));
  return { facet: { field: 'variant', type: 'nominal' as const, sort: [...variants], title: null }, columns };
}

export function periodsOf(data: OutputData): string[] {
  return periodOrder(data.cells.map((c) => c.period));
}

/** Cells where summary.csv has a defined mean for the metric. */
export function cellsWith(data: OutputData, metric: string): Cell[] {
  return data.cells.filter((c) => Number.isFinite(stat(data, c.cell, metric)?.mean ?? NaN));
}

/** Label of a simulated series in a legend. */
export function simLabel(variant: string): string {
  return variant === '' ? 'simulated (mean, 95 % CI)' : `simulated, ${variant}`;
}

/** A live source's legend label: the text before the first `;` (the rest is detail, e.g. the figure). */
export function liveLabel(source: string): string {
  return `live: ${source.split(';')[0].trim()}`;
}

/** Live rows of a metric that can be drawn: at a simulated period (or `all`), for replicas the simulation has. */
export function liveRowsFor(data: OutputData, live: readonly LiveRow[], metric: string): LiveRow[] {
  const periods = new Set(data.cells.map((c) => c.period));
  const replicas = new Set(data.cells.map((c) => c.replicas));
  return live.filter(
    (r) =>
      r.metric === metric &&
      (r.period === 'all' || periods.has(r.period)) &&
      (r.replicas === undefined || replicas.has(r.replicas)),
  );
}

/** Colour and shape scales for simulated series followed by live sources. */
export function seriesScales(simSeries: readonly string[], liveSeries: readonly string[]) {
  const domain = [...simSeries, ...liveSeries];
  return {
    color: {
      domain,
      range: [
        ...simSeries.map((_, i) => seriesColors[i % seriesColors.length]),
        ...liveSeries.map((_, i) => liveColors[i % liveColors.length]),
      ],
    },
    shape: {
      domain,
      range: [...simSeries.map(() => 'circle'), ...liveSeries.map((_, i) => liveShapes[i % liveShapes.length])],
    },
  };
}

export function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** `filter` transform that keeps one layer's rows of a shared dataset. */
export function only(layer: string) {
  return [{ filter: `datum.layer === '${layer}'` }];
}

/** The layers whose rows exist in the shared dataset (an empty layer would make vega warn of an infinite extent). */
export function present<T>(values: readonly Datum[], layers: readonly (readonly [string, T])[]): T[] {
  const have = new Set(values.map((v) => v.layer));
  return layers.filter(([name]) => have.has(name)).map(([, spec]) => spec);
}
