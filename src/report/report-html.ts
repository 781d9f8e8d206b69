/**
 * report.html: one self-contained page (opens offline, from any folder)
 * with every figure, the key results, the full summary, the live data, the
 * resolved scenario and how to reproduce the run. The Vega runtime and the
 * compiled Vega specs are inlined and drawn in the page; nothing in it
 * depends on the clock or the machine, so the same outputs give the same
 * bytes.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Spec as VegaSpec } from 'vega';
import { parse as parseYaml } from 'yaml';
import type { LiveRow } from '../live/live.ts';
import type { OutputData } from '../store/output-data.ts';
import type { Figure } from './plots/index.ts';
import type { Comparison } from './compare-section.ts';
import { compareHtmlTable, escapeHtml, fullSummaryTable, keyTable, liveTable } from './report-tables.ts';
import type { Recommendation } from './recommend.ts';

export interface ReportInput {
  data: OutputData;
  figures: readonly { figure: Figure; vega: VegaSpec }[];
  live: readonly LiveRow[];
  /** The --live file as the user named it. */
  liveFile?: string;
  /** Folder of the figure files, relative to the report. */
  figuresDir: string;
  /** The live rows compared with the simulation (with --live), and its figure when there are rows. */
  comparison?: Comparison;
  /** What the page opens with when the outputs have attackers. */
  recommendation?: Recommendation;
}

/** vega.min.js from node_modules (the package's main entry sits in the same build folder). */
export async function vegaRuntime(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('vega');
  return readFile(join(dirname(main), 'vega.min.js'), 'utf8');
}

/** JSON safe inside a <script> element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c');
}

function scenarioInfo(data: OutputData): { name: string; description: string } {
  let doc: unknown;
  try {
    doc = data.resolved ? parseYaml(data.resolved.text) : undefined;
  } catch {
    doc = undefined;
  }
  const rec = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  return {
    name: typeof rec.name === 'string' ? rec.name : basename(data.dir),
    description: typeof rec.description === 'string' ? rec.description : '',
  };
}

function figureSection(f: Figure, i: number | undefined, figuresDir: string): string {
  const links = ['vl.json', 'svg', 'png'].map((ext) => `<a href="${escapeHtml(`${figuresDir}/${f.id}.${ext}`)}">${ext}</a>`).join(' · ');
  return `<section class="figure" id="${f.id}">
<h3>${i === undefined ? '' : `Figure ${i + 1}. `}${escapeHtml(f.title)}</h3>
<div class="chart" data-spec="spec-${f.id}" role="img" aria-label="${escapeHtml(f.title)}"></div>
<p class="caption">${escapeHtml(f.caption)}</p>
<p class="files">Files: ${links}</p>
</section>`;
}

function reproduce(data: OutputData, liveFile: string | undefined): string {
  const sweep = data.resolved?.file === 'sweep.resolved.yaml';
  const file = data.resolved?.file ?? 'scenario.resolved.yaml';
  const trace = data.trace && !sweep ? ' --trace' : '';
  const live = liveFile ? ` --live ${liveFile}` : '';
  const note = liveFile ? '\n# (--live names the file as it was given to the plot)' : '';
  return `<pre># in this output folder: the resolved scenario holds every setting and the seed, so the outputs come out identical${note}
sim ${sweep ? 'sweep' : 'run'} ${escapeHtml(file)} --out .${trace}${escapeHtml(live)}
# redraw the figures and this report from the CSV files here
sim plot .${escapeHtml(live)}</pre>`;
}

const style = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 0 auto; max-width: 1180px; padding: 0 24px 48px; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.1em; }
.figure { margin: 1.5em 0 2.5em; } .chart { overflow-x: auto; min-height: 40px; }
.caption { max-width: 900px; } .files, .note { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; } th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; }
th { background: #f3f3f3; } td:last-child { text-align: left; } table.key td:last-child { text-align: right; } .ci { color: #666; font-size: 0.9em; }
.verdict-inside { color: #007a56; } .verdict-outside { color: #b00; font-weight: bold; }
pre { background: #f6f6f6; padding: 10px; overflow-x: auto; font-size: 0.85em; } .error { color: #b00; }
nav ol { columns: 2; } #recommendation li { margin: 0.3em 0; } #recommendation li.sub { margin-left: 1.5em; list-style: circle; }`;

/** Draws every chart from its inlined Vega spec, then records how many were drawn on <body>. */
const renderScript = `
(function () {
  var charts = Array.prototype.slice.call(document.querySelectorAll('.chart[data-spec]'));
  var drawn = 0, failed = 0;
  Promise.all(charts.map(function (el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute('data-spec')).textContent);
    var view = new vega.View(vega.parse(spec), { renderer: 'svg', container: el, hover: true });
    return view.runAsync().then(function () { drawn++; }, function (err) {
      failed++;
      el.innerHTML = '<p class="error">This figure could not be drawn: ' + String(err).replace(/</g, '&lt;') + '</p>';
      console.error(err);
    });
  })).then(function () {
    document.body.setAttribute('data-rendered', String(drawn));
    document.body.setAttribute('data-failed', String(failed));
  });
})();`;

/** The recommendation the page opens with; the decision figure's sliders move it. */
function recommendationSection(rec: Recommendation | undefined, figs: readonly Figure[]): string {
  if (!rec || rec.lines.length === 0) return '';
  const [head, ...lines] = rec.lines;
  const n = figs.findIndex((f) => f.id === 'fig8-attack-decision');
  const slider = n >= 0 ? ` In <a href="#${figs[n].id}">Figure ${n + 1}</a>, move both thresholds with the sliders and see the recommended cell move.` : '';
  const items = lines.map((l) => (l.startsWith('  ') ? `<li class="sub">${escapeHtml(l.trim())}</li>` : `<li>${escapeHtml(l)}</li>`)).join('\n');
  return `<section id="recommendation">
<h2>Recommendation</h2>
<p>${escapeHtml(head)}${slider} Change the defaults with <code>sim plot DIR --max-risk 0.1 --max-failure 0.01</code>.</p>
<ul>
${items}
</ul>
</section>`;
}

export async function reportHtml(input: ReportInput): Promise<string> {
  const { data, figures, live, liveFile, figuresDir, comparison, recommendation } = input;
  const { name, description } = scenarioInfo(data);
  const figs = figures.map(({ figure }) => figure);
  const nav = figs.map((f, i) => `<li><a href="#${f.id}">Figure ${i + 1}. ${escapeHtml(f.title)}</a></li>`).join('\n');
  const charts = comparison?.figure ? [...figures, comparison.figure] : figures;
  const compareSection = comparison
    ? `<h2 id="comparison">Comparison with live results</h2>
<p>Every live value of <code>${escapeHtml(liveFile ?? '')}</code> at the simulated cells it matches (as <code>sim compare</code> judges it): inside when it falls in the expected range.</p>
${compareHtmlTable(comparison.result, data.varied)}
${comparison.figure ? figureSection(comparison.figure.figure, undefined, figuresDir) : ''}`
    : '';
  const specs = charts.map(({ figure, vega }) => `<script type="application/json" id="spec-${figure.id}">${scriptJson(vega)}</script>`).join('\n');
  const liveSection = live.length
    ? `<h2 id="live">Live results</h2>
<p>From <code>${escapeHtml(liveFile ?? '')}</code>; drawn as dark diamonds (and dashed lines for values over all periods) in the figures where the metric appears.</p>
${liveTable(live)}`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)}: kube-mtd-sim report</title>
<style>${style}</style>
</head>
<body data-figures="${charts.length}">
<h1>${escapeHtml(name)}</h1>
<p class="note">kube-mtd-sim report${description ? `: ${escapeHtml(description)}` : ''}. ${data.cells.length} cell(s); figures are drawn in the page from the inlined specs (no network needed); static copies are in <code>${escapeHtml(figuresDir)}/</code>. Fractions are shown as percent; period <code>inf</code> means no rotation.</p>
${recommendationSection(recommendation, figs)}
<nav><ol>
${nav}
<li><a href="#results">Key results</a></li>${comparison ? '\n<li><a href="#comparison">Comparison with live results</a></li>' : ''}${live.length ? '\n<li><a href="#live">Live results</a></li>' : ''}
<li><a href="#summary">Full summary</a></li>
<li><a href="#scenario">Resolved scenario and how to reproduce</a></li>
</ol></nav>
<h2 id="figures">Figures</h2>
${figs.map((f, i) => figureSection(f, i, figuresDir)).join('\n')}
<h2 id="results">Key results</h2>
<p>Mean over the replications of each cell, with the 95 % confidence interval of the mean in brackets (Student t). The insert failure rate (failed insert requests, the paper's figure 9) is the headline; the failure rate over all requests counts lookups too. A rate's interval is shown clipped to [0, 100] % (summary.csv keeps the raw interval, which can pass 0 when few runs fail).</p>
${keyTable(data)}
${compareSection}
${liveSection}
<h2 id="summary">Full summary</h2>
<details><summary>Every metric of every cell (summary.csv)</summary>
${fullSummaryTable(data)}
</details>
<h2 id="scenario">Resolved scenario and how to reproduce</h2>
${reproduce(data, liveFile)}
${data.resolved ? `<p><code>${escapeHtml(data.resolved.file)}</code>:</p>\n<pre>${escapeHtml(data.resolved.text)}</pre>` : '<p>No resolved scenario was found in the output folder.</p>'}
${specs}
<script>${(await vegaRuntime()).replace(/<\/script/gi, '<\\/script')}</script>
<script>${renderScript}</script>
</body>
</html>
`;
}
