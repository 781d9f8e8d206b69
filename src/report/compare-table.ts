/**
 * The comparison as an aligned console table: one line per (cell, metric),
 * fractions shown as percent and differences in percentage points.
 */
import { isFractionMetric, placeLabel, type Comparison } from './compare.ts';
import { formatSignificant } from './table.ts';

/** Left-aligned text columns separated by two spaces; numbers right-aligned. */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

/** How a comparison's numbers are shown: fractions as percent (a CI clipped to [0, 100] %), differences in percentage points. */
export function formatter(metric: string) {
  const pct = isFractionMetric(metric);
  const value = (x: number) => (pct ? `${formatSignificant(x * 100)} %` : formatSignificant(x));
  const diff = (x: number) => {
    const text = formatSignificant(pct ? x * 100 : x);
    const signed = x > 0 ? `+${text}` : text;
    return pct ? `${signed} pp` : signed;
  };
  const range = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? '-' : `${value(a)} .. ${value(b)}`);
  // The same rule as every table: a fraction's interval is shown clipped to [0, 1] (compare.csv keeps it raw).
  const clip = (x: number) => (pct ? Math.min(1, Math.max(0, x)) : x);
  const ci = (lo: number, hi: number) => (Number.isNaN(lo) || Number.isNaN(hi) ? '' : `[${value(clip(lo))}, ${value(clip(hi))}]`);
  return { value, diff, range: (a: number, b: number) => range(clip(a), clip(b)), ci };
}

export const rangeNote = 'expected range: where a single simulated run falls (p5 .. p95); for a live mean of n runs, the central 90 % of such means.';

export function verdictCounts(rows: readonly Comparison[]): string {
  const inside = rows.filter((r) => r.verdict === 'inside').length;
  const outside = rows.filter((r) => r.verdict === 'outside').length;
  return `${inside} inside, ${outside} outside${rows.length > inside + outside ? `, ${rows.length - inside - outside} unknown` : ''}.`;
}

/** One row of the comparison as text cells: metric, where, simulated mean [CI], expected range, live, diff, verdict. */
export function compareCells(c: Comparison, varied: readonly string[]): string[] {
  const f = formatter(c.metric);
  const ci = Number.isNaN(c.sim.ci_low) ? '' : ` ${f.ci(c.sim.ci_low, c.sim.ci_high)}`;
  const n = c.live.n !== undefined && c.live.n > 1 ? ` (n=${c.live.n})` : '';
  return [c.metric, placeLabel(c, varied), `${f.value(c.sim.mean)}${ci}`, f.range(c.low, c.high), `${f.value(c.live.value)}${n}`, f.diff(c.diff), c.verdict];
}

export const compareHeadings = ['metric', 'where', 'simulated mean [95 % CI]', 'expected range', 'live', 'diff', 'verdict'];

export function compareTable(rows: readonly Comparison[], varied: readonly string[]): string {
  const lines = rows.map((c) => compareCells(c, varied));
  return `${alignColumns([compareHeadings, ...lines], new Set([5]))}\n${[verdictCounts(rows), rangeNote].join('\n')}`;
}
