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

function formatter(metric: string) {
  const pct = isFractionMetric(metric);
  const value = (x: number) => (pct ? `${formatSignificant(x * 100)} %` : formatSignificant(x));
  const diff = (x: number) => {
    const text = formatSignificant(pct ? x * 100 : x);
    const signed = x > 0 ? `+${text}` : text;
    return pct ? `${signed} pp` : signed;
  };
  const range = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? '-' : `${value(a)} .. ${value(b)}`);
  return { value, diff, range };
}

export function compareTable(rows: readonly Comparison[], varied: readonly string[]): string {
  const header = ['metric', 'where', 'simulated mean [95 % CI]', 'expected range', 'live', 'diff', 'verdict'];
  const lines = rows.map((c) => {
    const f = formatter(c.metric);
    const ci = Number.isNaN(c.sim.ci_low) ? '' : ` [${f.value(c.sim.ci_low)}, ${f.value(c.sim.ci_high)}]`;
    const n = c.live.n !== undefined && c.live.n > 1 ? ` (n=${c.live.n})` : '';
    return [c.metric, placeLabel(c, varied), `${f.value(c.sim.mean)}${ci}`, f.range(c.low, c.high), `${f.value(c.live.value)}${n}`, f.diff(c.diff), c.verdict];
  });
  const inside = rows.filter((r) => r.verdict === 'inside').length;
  const outside = rows.filter((r) => r.verdict === 'outside').length;
  const footer = [
    `${inside} inside, ${outside} outside${rows.length > inside + outside ? `, ${rows.length - inside - outside} unknown` : ''}.`,
    'expected range: where a single simulated run falls (p5 .. p95); for a live mean of n runs, the central 90 % of such means.',
  ];
  return `${alignColumns([header, ...lines], new Set([5]))}\n${footer.join('\n')}`;
}
