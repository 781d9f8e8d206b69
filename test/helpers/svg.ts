/**
 * Reading vega's SVG in tests: vega labels every drawn item with
 * aria-roledescription (its kind) and aria-label (its fields), so marks can
 * be counted and identified without a DOM.
 */

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]) : undefined;
}

/** The aria-labels of the items of one kind (`bar`, `point`, `rect mark`, `rule mark`, `text mark`, `line mark`). */
export function items(svg: string, kind: string): string[] {
  const out: string[] = [];
  for (const [tag] of svg.matchAll(/<[a-z]+\b[^>]*>/g)) {
    if (attr(tag, 'aria-roledescription') === kind) out.push(attr(tag, 'aria-label') ?? '');
  }
  return out;
}

/** The items drawn by the mark named `name` (a vega-lite unit's name; its items may carry no aria-label). */
export function markItems(svg: string, name: string): string[] {
  const group = new RegExp(`<g class="mark-[a-z]+ role-mark ${name}_marks"[^>]*>((?:<path[^>]*/>)*)</g>`).exec(svg);
  if (!group) throw new Error(`no mark named ${name}`);
  return [...group[1].matchAll(/<path[^>]*\/>/g)].map(([tag]) => tag);
}

/** Texts of every axis's labels, one list per axis, in drawing order. */
export function axisLabels(svg: string): string[][] {
  return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].map(([, body]) =>
    [...body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, t]) => unescape(t)),
  );
}

/** Every text drawn (titles, legends, labels). */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, t]) => unescape(t));
}

export function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!m) throw new Error('no SVG size');
  return { width: Number(m[1]), height: Number(m[2]) };
}
