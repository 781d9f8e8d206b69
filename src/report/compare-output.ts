/**
 * The files of `sim compare OUTDIR`: OUTDIR/compare.csv and the figure
 * OUTDIR/figures/compare.{vl.json,svg,png}, written into a staging folder
 * (`into`) that the command moves in as a whole.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { AtomicCsvWriter, ensureDir, writeFileAtomic } from '../util/atomic.ts';
import { compareCsvRow, compareHeader, compareLive, type CompareResult } from './compare.ts';
import { readLive } from '../live/live.ts';
import { readOutput } from '../store/output-data.ts';
import { compareFigure } from './plots/compare-figure.ts';
import type { RenderOptions } from './render.ts';

export interface CompareRun extends CompareResult {
  varied: string[];
  files: string[];
}

/** Reads the outputs and the live file, compares, writes compare.csv and the figure. */
export async function compareOutputs(outDir: string, liveFile: string, opts: RenderOptions & { plots?: boolean; into?: string } = {}): Promise<CompareRun> {
  const data = await readOutput(outDir);
  if (!existsSync(liveFile)) throw new UserError([{ file: liveFile, path: '', message: 'cannot read the live-results file (no such file)' }]);
  const live = await readLive(liveFile);
  const result = compareLive(data, live);
  const into = opts.into ?? outDir;
  const files = [join(into, 'compare.csv')];
  const w = await AtomicCsvWriter.open(files[0], compareHeader(data.varied));
  try {
    for (const row of result.rows) await w.write(compareCsvRow(row, data.varied));
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
  const figure = opts.plots === false ? undefined : compareFigure(result.rows, data.varied);
  if (figure) {
    const dir = join(into, 'figures');
    await ensureDir(dir);
    // Loaded only when drawing: vega takes a second to load, which --no-plots users need not pay.
    const { renderFigure } = await import('./render.ts');
    const r = await renderFigure(figure.spec, opts, figure.id);
    const base = join(dir, figure.id);
    await writeFileAtomic(`${base}.vl.json`, `${JSON.stringify(figure.spec, null, 2)}\n`);
    await writeFileAtomic(`${base}.svg`, r.svg);
    await writeFileAtomic(`${base}.png`, r.png);
    files.push(`${base}.vl.json`, `${base}.svg`, `${base}.png`);
  }
  return { ...result, varied: data.varied, files };
}
