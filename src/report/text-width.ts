/**
 * Text widths for headless vega. Without a canvas vega guesses 0.8 em per
 * character, which is far wider than real text: long axis titles then push
 * the plot around and legend labels are cut early. Here the advance widths
 * of DejaVu Sans (the font the PNGs are drawn with; read from
 * DejaVuSans.ttf's hmtx table) give widths within a few percent, and the
 * same on every machine, so SVGs stay byte-identical.
 */
import * as vega from 'vega';

/** Advance widths in em of the printable ASCII characters 32..126, DejaVu Sans Book. */
const ascii = [
  0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361, 0.318, 0.337, 0.636, 0.636,
  0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.0, 0.684, 0.686,
  0.698, 0.77, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635,
  0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337, 0.39, 0.838, 0.5, 0.5, 0.613, 0.635, 0.55, 0.635, 0.615,
  0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592,
  0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
];
/** Bold DejaVu Sans is about this much wider on average. */
const boldFactor = 1.09;
const otherChar = 0.8;

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/** Width in pixels of one line of text as DejaVu Sans draws it. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    em += code >= 32 && code <= 126 ? ascii[code - 32] : otherChar;
  }
  return em * fontSize * (bold ? boldFactor : 1);
}

function isBold(w: string | number | undefined): boolean {
  return w === 'bold' || w === 'bolder' || (typeof w === 'number' && w >= 600) || (typeof w === 'string' && Number(w) >= 600);
}

/** Same contract as vega's estimateWidth: the width of `line` (trimmed), at most the item's limit. */
function measure(item: TextItem, line: unknown): number {
  const text = line == null ? '' : String(line).trim();
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const w = textWidth(text, size, isBold(item.fontWeight));
  return item.limit !== undefined && item.limit > 0 ? Math.min(w, item.limit) : w;
}

// vega-scenegraph's textMetrics is exported at runtime but missing from vega's typings.
// Replacing its `width` is the supported hook (vega's truncate() then measures with it too).
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;

/** Makes headless vega measure text as DejaVu Sans (idempotent; affects every headless View in the process). */
export function useDejaVuMetrics(): void {
  metrics.width = measure;
}
