/**
 * The report of `sim calibrate --explain`: the ranked candidates with their
 * fitted values, the predicted curves next to the live values, and what the
 * data can and cannot tell apart (console text, explain.csv, explain-curves.csv).
 */
import { join } from 'node:path';
import type { ExplainResult } from '../experiment/explain-run.ts';
import { indistinguishableDelta, type FittedValue } from '../experiment/explain.ts';
import { ensureDir, writeCsvFile } from '../util/atomic.ts';
import { formatNumber } from '../util/number-format.ts';
import { formatSignificant } from './table.ts';

const sig = (x: number): string => (Number.isNaN(x) ? '-' : x === Infinity ? 'inf' : formatSignificant(x));

function fittedText(f: FittedValue): string {
  const lo = `${f.lowOpen ? '(' : '['}${sig(f.low)}`;
  const hi = `${sig(f.high)}${f.highOpen ? ')' : ']'}`;
  return `${f.path}=${sig(f.value)} ${lo}, ${hi}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export function explainSummary(e: ExplainResult): string {
  const ranked = table([
    ['rank', 'candidate', 'k', 'loss', 'AIC', 'delta', 'weight', 'p (fit)', 'fitted (95 % interval)'],
    ...e.ranked.map((f, i) => [String(i + 1), f.name, String(f.k), sig(f.loss), sig(f.aic), sig(f.delta), sig(f.weight), sig(f.pValue), f.fitted.map(fittedText).join('; ')]),
  ]);
  const top = e.ranked.slice(0, Math.min(4, e.ranked.length));
  const curves = table([
    ['metric', 'period', 'R', 'live', ...top.map((f) => f.name)],
    ...e.curve.map((p, i) => [p.metric, p.period, String(p.replicas), p.live === undefined ? '' : sig(p.live), ...top.map((f) => sig(f.curve[i]?.mean ?? NaN))]),
  ]);
  const lines = [
    'candidates, best first (AIC = loss + 2 per fitted parameter; p: chance of a loss this large if the candidate were right):',
    ranked,
    '',
    'predicted curves of the best candidates next to the live values:',
    curves,
    '',
  ];
  if (e.ranked.length === 0) return lines.join('\n');
  const best = e.ranked[0];
  if (e.indistinguishable.length <= 1) {
    lines.push(`the data tell ${best.name} apart from every other candidate (AIC at least ${indistinguishableDelta} worse).`);
  } else {
    lines.push(`the data cannot tell apart: ${e.indistinguishable.join(', ')} (AIC within ${indistinguishableDelta} of the best).`);
    for (const s of e.separations) {
      if (s.point.metric === '') continue;
      if (s.z < 1) {
        lines.push(`  ${best.name} and ${s.candidate} predict the same within one standard error at every period shown: no such measurement separates them (the one with fewer parameters suffices).`);
        continue;
      }
      lines.push(
        `  to separate ${best.name} from ${s.candidate}: measure ${s.point.metric} at period ${s.point.period} (R = ${s.point.replicas}): ` +
          `predicted ${sig(s.best)} vs ${sig(s.other)}, ${sig(s.z)} standard errors apart${s.point.live !== undefined ? ' (already measured: more runs there)' : ''}.`,
      );
    }
  }
  const poor = e.ranked.filter((f) => f.pValue < 0.05).map((f) => f.name);
  if (poor.length === e.ranked.length) lines.push('no candidate fits the data well (every p < 0.05): the mechanism may be missing from the list.');
  return lines.join('\n');
}

/** The files writeExplain writes (and replaces). */
export const explainFiles = ['explain.csv', 'explain-curves.csv'];

/** Writes the explain files into `into` (a staging folder of the output directory). */
export async function writeExplain(into: string, e: ExplainResult): Promise<string[]> {
  await ensureDir(into);
  const files = explainFiles.map((f) => join(into, f));
  await writeCsvFile(
    files[0],
    ['rank', 'candidate', 'k', 'loss', 'aic', 'delta', 'weight', 'p_value', 'dof', 'fitted'],
    e.ranked.map((f, i) => [String(i + 1), f.name, String(f.k), formatNumber(f.loss), formatNumber(f.aic), formatNumber(f.delta), formatNumber(f.weight), formatNumber(f.pValue), String(f.dof), f.fitted.map(fittedText).join('; ')]),
  );
  await writeCsvFile(
    files[1],
    ['candidate', 'metric', 'period', 'replicas', 'live', 'predicted', 'se'],
    e.ranked.flatMap((f) => e.curve.map((p, i) => [f.name, p.metric, p.period, String(p.replicas), p.live === undefined ? '' : formatNumber(p.live), formatNumber(f.curve[i].mean), formatNumber(f.curve[i].se)])),
  );
  return files;
}
