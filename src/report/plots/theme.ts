/**
 * What every figure shares: the colour-blind-safe palette (Okabe-Ito), the
 * order and axis of rotation periods, number formats, and the Vega-Lite
 * config. Fixed here so a colour means the same thing in every figure.
 */
import type { Config } from 'vega-lite';
import type { Outcome } from '../../schema/metric-names.ts';

export const okabeIto = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  black: '#000000',
  grey: '#999999',
} as const;

/** What a reader would call each colour as drawn (captions name colours by these words only). */
export const colorName: Record<keyof typeof okabeIto, string> = {
  orange: 'amber', skyBlue: 'sky blue', green: 'green', yellow: 'yellow', blue: 'blue',
  vermillion: 'red-orange', purple: 'pink', black: 'black', grey: 'grey',
};

/** Outcome of a record: malicious-and-inserted is the attack that got through. */
export const outcomeStyle: Record<Outcome, { label: string; color: string; colorName: string }> = {
  inserted_malicious: { label: 'inserted, malicious (attack got through)', color: okabeIto.vermillion, colorName: colorName.vermillion },
  inserted_clean: { label: 'inserted, clean', color: okabeIto.blue, colorName: colorName.blue },
  rejected: { label: 'rejected by a safe implementation', color: okabeIto.grey, colorName: colorName.grey },
  failed: { label: 'failed (HTTP error)', color: okabeIto.orange, colorName: colorName.orange },
  orphaned: { label: 'not sent (parent record missing)', color: okabeIto.purple, colorName: colorName.purple },
};

/** The paper's three languages keep their colour in every figure; python is the vulnerable one. */
const knownImplementations: Record<string, string> = {
  python: okabeIto.vermillion,
  node: okabeIto.green,
  dotnet: okabeIto.skyBlue,
};
const spareColors = [okabeIto.orange, okabeIto.purple, okabeIto.blue, okabeIto.yellow, okabeIto.black];

/** Colour of each implementation: the known ones fixed, others in name order from the spare colours. */
export function implementationColors(names: readonly string[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(names)].sort();
  let spare = 0;
  const range = domain.map((n) => knownImplementations[n] ?? spareColors[spare++ % spareColors.length]);
  return { domain, range };
}

/** Colours of simulated series (sweep variants), in order. */
export const seriesColors = [
  okabeIto.blue, okabeIto.orange, okabeIto.green, okabeIto.purple, okabeIto.skyBlue, okabeIto.vermillion, okabeIto.yellow,
];
/** Live sources are drawn dark, as diamonds, so they never look like a simulated series. */
export const liveColors = ['#000000', '#555555', '#8c8c8c'];
export const liveShapes = ['diamond', 'square', 'triangle-up'];

/**
 * Periods on a categorical axis: `inf` (no rotation) first, then numbers from
 * the longest period to the shortest, the order of the paper's figures.
 */
export function comparePeriods(a: string, b: string): number {
  const rank = (p: string) => (p === 'inf' ? Infinity : Number(p));
  return rank(b) - rank(a) || (a < b ? -1 : a > b ? 1 : 0);
}

export function periodOrder(periods: Iterable<string>): string[] {
  return [...new Set(periods)].sort(comparePeriods);
}

export const periodTitle = 'rotation period P (s; inf: no rotation)';
/** For narrow (faceted) panels; the subtitle then says what inf means. */
export const periodTitleShort = 'period P (s)';

/** Axis formats: fractions are shown as percent; `~` drops trailing zeros. */
export const percentAxis = '.2~%';
export const percentTip = '.3~%';

export const config: Config = {
  background: 'white',
  font: 'sans-serif',
  padding: 8,
  title: { fontSize: 15, anchor: 'start', subtitleFontSize: 12, subtitleColor: '#444', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#222', gridColor: '#e6e6e6' },
  axisX: { labelAngle: 0 },
  // Limits are generous: headless vega over-estimates text widths (no canvas to measure with).
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 700, titleLimit: 700, orient: 'right' },
  header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' },
  view: { stroke: '#cccccc' },
};

/** Row facet labels above each row, not rotated beside it where they would cover the y-axis title. */
export const rowHeader = { labelOrient: 'top', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelFontWeight: 'bold' } as const;
