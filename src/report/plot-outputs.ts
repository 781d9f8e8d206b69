/**
 * `sim plot OUTDIR` (and the end of `sim run` / `sim sweep`): draws every
 * figure the output directory has data for into OUTDIR/figures/ as
 * .vl.json, .svg and .png, and writes OUTDIR/report.html. Files are written
 * atomically; figure files of figures no longer drawn are removed, so the
 * folder always matches the report.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from './atomic.ts';
import { readLive, type LiveRow } from './live.ts';
import { readOutput } from './output-data.ts';
import { figureBuilders, type Figure } from './plots/index.ts';
import { renderFigure, type RenderOptions } from './render.ts';
import { decisionFigures } from './plots/decision.ts';
import { defaultThresholds, recommend, type Thresholds } from './recommend.ts';
import { reportHtml } from './report-html.ts';

export interface PlotOptions extends RenderOptions {
  /** A live-results CSV to overlay (scenarios/live/README.md). */
  live?: string;
  /** Thresholds of the recommendation (and the decision figure's starting slider values). */
  thresholds?: Thresholds;
}

export const figuresDirName = 'figures';
const figureFile = /^fig\d+-[a-z0-9-]+\.(vl\.json|svg|png)$/;

/** The figures the outputs have data for, in report order. */
export function buildFigures(data: Parameters<(typeof figureBuilders)[number]>[0], live: readonly LiveRow[]): Figure[] {
  return figureBuilders.map((build) => build(data, live)).filter((f): f is Figure => f !== undefined);
}

/** Draws the figures and the report of an output directory; returns the paths written. */
export async function plotOutputs(outDir: string, opts: PlotOptions = {}): Promise<string[]> {
  const data = await readOutput(outDir);
  const live = opts.live ? await readLive(opts.live) : [];
  const figuresDir = join(outDir, figuresDirName);
  await ensureDir(figuresDir);
  const written: string[] = [];
  const rendered = [];
  const recommendation = recommend(data, opts.thresholds ?? defaultThresholds);
  for (const figure of [...buildFigures(data, live), ...decisionFigures(data, recommendation)]) {
    const r = await renderFigure(figure.spec, opts, figure.id);
    const base = join(figuresDir, figure.id);
    await writeFileAtomic(`${base}.vl.json`, JSON.stringify(figure.spec, null, 2) + '\n');
    await writeFileAtomic(`${base}.svg`, r.svg);
    await writeFileAtomic(`${base}.png`, r.png);
    written.push(`${base}.vl.json`, `${base}.svg`, `${base}.png`);
    rendered.push({ figure, vega: r.vega });
  }
  await removeStale(figuresDir, new Set(written));
  const report = join(outDir, 'report.html');
  await writeFileAtomic(report, await reportHtml({ data, figures: rendered, recommendation, live, liveFile: opts.live, figuresDir: figuresDirName }));
  written.push(report);
  return written;
}

/** Figure files a previous plot left that this one did not draw (e.g. a timeline before --trace was dropped). */
async function removeStale(dir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if (figureFile.test(name) && !keep.has(path)) await rm(path, { force: true });
  }
}
