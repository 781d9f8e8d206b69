/**
 * The short console summary printed after a run or sweep: one aligned line
 * per metric, mean and 95 % CI, fractions shown as percent.
 */

export interface TableRow {
  label: string;
  mean: number;
  ci_low: number;
  ci_high: number;
  /** '%': the values are fractions, shown times 100; 's': seconds; '' or absent: plain. */
  unit?: '%' | 's' | '';
}

/** Three significant digits without exponent (except below 1e-6), trailing zeros dropped. */
export function formatSignificant(x: number): string {
  if (Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Math.abs(x) >= 999.5) return Math.round(x).toString();
  const text = x.toPrecision(3);
  if (text.includes('e')) return text;
  // '0.210' -> '0.21', '12.0' -> '12'; -0 shows as 0.
  const trimmed = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return trimmed === '-0' ? '0' : trimmed;
}

/** An aligned text table, one line per row, e.g. `failure rate   0.21 %   [0.15, 0.27]`. */
export function formatSummaryTable(rows: readonly TableRow[]): string {
  const cells = rows.map((r) => {
    const scale = r.unit === '%' ? 100 : 1;
    const ci = Number.isNaN(r.ci_low) || Number.isNaN(r.ci_high)
      ? ''
      : `[${formatSignificant(clip(r, r.ci_low) * scale)}, ${formatSignificant(clip(r, r.ci_high) * scale)}]`;
    return { label: r.label, value: formatSignificant(r.mean * scale), unit: r.unit ?? '', ci };
  });
  const width = (pick: (c: (typeof cells)[number]) => string): number => Math.max(0, ...cells.map((c) => pick(c).length));
  const labelW = width((c) => c.label);
  const valueW = width((c) => c.value);
  const unitW = width((c) => c.unit);
  return cells
    .map((c) => `${c.label.padEnd(labelW)}   ${c.value.padStart(valueW)} ${c.unit.padEnd(unitW)}   ${c.ci}`.trimEnd())
    .join('\n');
}

/** A fraction's t interval can pass 0 or 1 when few runs differ; shown clipped (summary.csv keeps it raw). */
function clip(r: TableRow, x: number): number {
  return r.unit === '%' ? Math.min(1, Math.max(0, x)) : x;
}
