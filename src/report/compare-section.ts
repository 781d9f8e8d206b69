/**
 * The comparison part of report.html: with live results, every live value is
 * judged as `sim compare` judges it and the compare figure is drawn into the
 * figures folder beside the others.
 */
import { join } from 'node:path';
import type { Spec as VegaSpec } from 'vega';
import { writeFileAtomic } from '../util/atomic.ts';
import { compareLive, type CompareResult } from './compare.ts';
import type { LiveRow } from '../live/live.ts';
import type { OutputData } from '../store/output-data.ts';
import { compareFigure } from './plots/compare-figure.ts';
import type { Figure } from './plots/index.ts';
import { renderFigure, type RenderOptions } from './render.ts';

export interface Comparison {
  result: CompareResult;
  /** The compare figure, when any live value matched a cell. */
  figure?: { figure: Figure; vega: VegaSpec };
}

/** Judges the live rows and draws figures/compare.*; undefined without live rows. */
export async function drawComparison(
  data: OutputData, live: readonly LiveRow[], figuresDir: string, opts: RenderOptions,
): Promise<{ comparison?: Comparison; written: string[] }> {
  if (live.length === 0) return { written: [] };
  const result = compareLive(data, live);
  const figure = compareFigure(result.rows, data.varied);
  if (!figure) return { comparison: { result }, written: [] };
  const r = await renderFigure(figure.spec, opts, figure.id);
  const base = join(figuresDir, figure.id);
  await writeFileAtomic(`${base}.vl.json`, `${JSON.stringify(figure.spec, null, 2)}\n`);
  await writeFileAtomic(`${base}.svg`, r.svg);
  await writeFileAtomic(`${base}.png`, r.png);
  return { comparison: { result, figure: { figure, vega: r.vega } }, written: [`${base}.vl.json`, `${base}.svg`, `${base}.png`] };
}
