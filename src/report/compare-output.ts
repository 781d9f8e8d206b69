/**
 * The files of `sim compare OUTDIR`: OUTDIR/compare.csv and, unless
 * --no-plots, the figures and report.html redrawn with the live file (which
 * adds figures/compare.{vl.json,svg,png} and the report's comparison
 * section), each written atomically.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../scenario/errors.ts';
import { AtomicCsvWriter } from './atomic.ts';
import { compareCsvRow, compareHeader, compareLive, type CompareResult } from './compare.ts';
import { readLive } from './live.ts';
import { readOutput } from './output-data.ts';
import type { RenderOptions } from './render.ts';

export interface CompareRun extends CompareResult {
  varied: string[];
  files: string[];
}

/** Reads the outputs and the live file, compares, writes compare.csv and the figure. */
export async function compareOutputs(outDir: string, liveFile: string, opts: RenderOptions & { plots?: boolean } = {}): Promise<CompareRun> {
  const data = await readOutput(outDir);
  if (!existsSync(liveFile)) throw new UserError([{ file: liveFile, path: '', message: 'cannot read the live-results file (no such file)' }]);
  const live = await readLive(liveFile);
  const result = compareLive(data, live);
  const files = [join(outDir, 'compare.csv')];
  const w = await AtomicCsvWriter.open(files[0], compareHeader(data.varied));
  try {
    for (const row of result.rows) await w.write(compareCsvRow(row, data.varied));
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
  if (opts.plots !== false) {
    // The figures and report.html are redrawn with the live file, so the report holds the comparison too.
    // Loaded only when drawing: vega takes a second to load, which --no-plots users need not pay.
    const { plotOutputs } = await import('./plot-outputs.ts');
    files.push(...(await plotOutputs(outDir, { ...opts, live: liveFile })));
  }
  return { ...result, varied: data.varied, files };
}
