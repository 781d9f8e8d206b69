/**
 * `sim plot OUTDIR` (and the end of `sim run` / `sim sweep`): draws every
 * figure the output directory has data for into figures/ as .vl.json,
 * .svg and .png, and writes report.html. The files are staged and moved in
 * together (output-folder.ts); figure files of sim's that this plot did not
 * draw again are removed, so the folder always matches the report.
 */
import { join, relative } from 'node:path';
import { ensureDir, writeFileAtomic } from '../util/atomic.ts';
import { readLive, type LiveRow } from '../live/live.ts';
import { readOutput, type OutputData } from '../store/output-data.ts';
import { OutputFolder, Staging } from '../store/output-folder.ts';
import { isPlotFile } from '../store/plot-files.ts';
import { figureBuilders, type Figure } from './plots/index.ts';
import { svgToPngAsync, toSvg, toVega, type RenderOptions } from './render.ts';
import { drawComparison } from './compare-section.ts';
import { decisionFigures } from './plots/decision.ts';
import { recommend } from './recommend.ts';
import { defaultThresholds, type Thresholds } from './thresholds.ts';
import { reportHtml } from './report-html.ts';

export interface PlotOptions extends RenderOptions {
  /** A live-results CSV to overlay (scenarios/live/README.md). */
  live?: string;
  /** Thresholds of the recommendation (and the decision figure's starting slider values). */
  thresholds?: Thresholds;
}

export interface DrawOptions extends PlotOptions {
  /** Where the figures and report go (a staging folder laid out as OUT); default the data folder. */
  into?: string;
  /** Checked before each figure: true ends the drawing early (a stop request); the report is then not written. */
  stopped?: () => boolean;
}

export const figuresDirName = 'figures';


/** The figures the outputs have data for, in report order. */
export function buildFigures(data: Parameters<(typeof figureBuilders)[number]>[0], live: readonly LiveRow[]): Figure[] {
  return figureBuilders.map((build) => build(data, live)).filter((f): f is Figure => f !== undefined);
}

/** Draws the figures and the report of `data` (read by readOutput) into `opts.into`; returns the paths written. */
export async function drawReport(data: OutputData, opts: DrawOptions = {}): Promise<string[]> {
  const live = opts.live ? await readLive(opts.live) : [];
  const into = opts.into ?? data.dir;
  const figuresDir = join(into, figuresDirName);
  await ensureDir(figuresDir);
  const written: string[] = [];
  const rendered = [];
  const recommendation = recommend(data, opts.thresholds ?? defaultThresholds);
  // Each PNG rasterizes on libuv's thread pool while the next figure's SVG is drawn here.
  const pngs: Promise<void>[] = [];
  try {
    for (const figure of [...buildFigures(data, live), ...decisionFigures(data, recommendation)]) {
      if (opts.stopped?.()) break;
      const vg = toVega(figure.spec, opts, figure.id);
      const svg = await toSvg(vg, opts, figure.id);
      const base = join(figuresDir, figure.id);
      await writeFileAtomic(`${base}.vl.json`, JSON.stringify(figure.spec, null, 2) + '\n');
      await writeFileAtomic(`${base}.svg`, svg);
      pngs.push(svgToPngAsync(svg).then((png) => writeFileAtomic(`${base}.png`, png)));
      written.push(`${base}.vl.json`, `${base}.svg`, `${base}.png`);
      rendered.push({ figure, vega: vg });
    }
  } finally {
    // Nothing still writing when this returns or throws (a failed figure, an interrupt).
    await Promise.allSettled(pngs);
  }
  await Promise.all(pngs);
  if (opts.stopped?.()) return written;
  // With live results the report judges them too (the verdicts of sim compare) and draws the compare figure.
  const { comparison, written: compared } = await drawComparison(data, live, figuresDir, opts);
  written.push(...compared);
  if (opts.stopped?.()) return written;
  const report = join(into, 'report.html');
  await writeFileAtomic(report, await reportHtml({ data, figures: rendered, recommendation, live, liveFile: opts.live, figuresDir: figuresDirName, comparison }));
  written.push(report);
  return written;
}

/** `sim plot` without the command line: draws into a staging folder, then replaces the earlier figures and report. */
export async function plotOutputs(outDir: string, opts: PlotOptions = {}): Promise<string[]> {
  const data = await readOutput(outDir);
  const staging = await Staging.begin(await OutputFolder.open(outDir));
  let written: string[];
  try {
    written = await drawReport(data, { ...opts, into: staging.dir });
  } catch (e) {
    await staging.discard();
    throw e;
  }
  await staging.commit(isPlotFile);
  return written.map((p) => join(outDir, relative(staging.dir, p)));
}
