/**
 * Vega-Lite spec -> Vega spec -> SVG -> PNG, all in-process and offline:
 * vega-lite compiles, a headless vega View (no renderer; text measured
 * with a fixed DejaVu Sans table, so the SVG does not depend on installed
 * fonts) draws the SVG, and resvg rasterizes it with the system fonts.
 */
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useDejaVuMetrics } from './text-width.ts';

useDejaVuMetrics();

export interface RenderOptions {
  /** Throw on any vega-lite or vega warning (tests); otherwise they go to onWarning. */
  strict?: boolean;
  onWarning?: (message: string) => void;
}

/** A logger that collects warnings and errors instead of printing them. */
function collectingLogger(sink: string[]): vega.LoggerInterface {
  return vega.logger(vega.Warn, 'log', (_method, level, args) => {
    sink.push(`${level} ${args.map(String).join(' ')}`);
  });
}

function report(problems: readonly string[], what: string, opts: RenderOptions): void {
  if (problems.length === 0) return;
  if (opts.strict) throw new Error(`${what}:\n${problems.join('\n')}`);
  for (const p of problems) opts.onWarning?.(`${what}: ${p}`);
}

/** Compiles a Vega-Lite spec to Vega. */
export function toVega(spec: TopLevelSpec, opts: RenderOptions = {}, what = 'figure'): vega.Spec {
  const problems: string[] = [];
  const { spec: vg } = compile(spec, { logger: collectingLogger(problems) });
  report(problems, `vega-lite warnings in ${what}`, opts);
  return vg;
}

/** Renders a Vega spec to an SVG document (deterministic: no randomness, no clock). */
export async function toSvg(vg: vega.Spec, opts: RenderOptions = {}, what = 'figure'): Promise<string> {
  const problems: string[] = [];
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger: collectingLogger(problems) });
  try {
    const svg = await view.toSVG();
    report(problems, `vega warnings in ${what}`, opts);
    return svg;
  } finally {
    view.finalize();
  }
}

/**
 * A PNG has at most this many pixels: a sweep of many cells draws panels by
 * the hundred, and at twice its size such a figure was 110 megapixels (8 s to
 * rasterize). Above it the PNG is drawn smaller; the SVG keeps every detail.
 */
export const maxPngPixels = 16e6;

/** The zoom of a PNG: `scale`, or less to stay within maxPngPixels. */
export function pngScale(svg: string, scale: number): number {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const w = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const h = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(w > 0 && h > 0) || w * h * scale * scale <= maxPngPixels) return scale;
  // resvg rounds the size up: shrink the zoom until the rounded size fits.
  let zoom = Math.sqrt(maxPngPixels / (w * h));
  while (Math.ceil(w * zoom) * Math.ceil(h * zoom) > maxPngPixels) zoom *= 0.9999;
  return zoom;
}

const pngOptions = (svg: string, scale: number): ResvgRenderOptions => ({
  fitTo: { mode: 'zoom', value: pngScale(svg, scale) },
  font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  background: 'white',
});

/** Rasterizes an SVG at `scale` times its size (less for a huge one: maxPngPixels), with sans-serif text in DejaVu Sans when installed. */
export function svgToPng(svg: string, scale = 2): Buffer {
  return new Resvg(svg, pngOptions(svg, scale)).render().asPng();
}

/** svgToPng on libuv's thread pool (the same bytes): a figure rasterizes while the next one is drawn. */
export async function svgToPngAsync(svg: string, scale = 2): Promise<Buffer> {
  return (await renderAsync(svg, pngOptions(svg, scale))).asPng();
}

export interface Rendered {
  vega: vega.Spec;
  svg: string;
  png: Buffer;
}

export async function renderFigure(spec: TopLevelSpec, opts: RenderOptions = {}, what = 'figure'): Promise<Rendered> {
  const vg = toVega(spec, opts, what);
  const svg = await toSvg(vg, opts, what);
  return { vega: vg, svg, png: svgToPng(svg) };
}
