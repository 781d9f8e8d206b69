/**
 * report.html in a real browser: headless Chromium (Debian's `chromium`,
 * installed by .ci/run) opens it from disk with the network off, every
 * figure must be drawn with no console error or warning, and a screenshot
 * must show something.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plotOutputs } from '../src/report/plot-outputs.ts';
import { makeGridSweep, makeTracedRun } from './fixtures/make-output.ts';
import { decodePng, inkStats } from './helpers/png.ts';

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const root = mkdtempSync(join(tmpdir(), 'report-browser-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** A grid sweep with a trace beside it, so the report holds all seven figures. */
async function fullReport(): Promise<string> {
  const dir = join(root, 'out');
  makeGridSweep(dir);
  makeTracedRun(join(root, 'traced'));
  for (const f of ['pods.csv', 'requests.csv']) copyFileSync(join(root, 'traced', f), join(dir, f));
  await plotOutputs(dir, { live: 'scenarios/live/paper-aks.csv', strict: true });
  return join(dir, 'report.html');
}

/** Runs headless Chromium on a page, bounded in time; returns stdout. */
function browse(page: string, extra: string[]): string {
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--mute-audio',
    `--user-data-dir=${mkdtempSync(join(root, 'profile-'))}`,
    // Lets the page's promises and timers run to completion before the DOM is dumped or the screenshot taken.
    '--virtual-time-budget=15000',
    ...extra,
    pathToFileURL(page).href,
  ];
  const r = spawnSync(chromium, args, { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  assert.is(r.status, 0, `chromium exited with ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Records console errors, warnings and uncaught errors into <html data-errors>, before any other script runs. */
const probe = `<script>
(function () {
  var seen = [];
  function note(kind, args) {
    seen.push(kind + ': ' + Array.prototype.map.call(args, String).join(' '));
    document.documentElement.setAttribute('data-errors', JSON.stringify(seen));
  }
  var error = console.error, warn = console.warn;
  console.error = function () { note('error', arguments); error.apply(console, arguments); };
  console.warn = function () { note('warn', arguments); warn.apply(console, arguments); };
  window.addEventListener('error', function (e) { note('uncaught', [e.message]); });
  window.addEventListener('unhandledrejection', function (e) { note('rejection', [e.reason]); });
})();
</script>`;

const attr = (html: string, tag: string, name: string) => new RegExp(`<${tag}\\b[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1];

test('report.html draws every figure in headless Chromium without a console error, and is not blank', async () => {
  assert.ok(existsSync(chromium), `no ${chromium}: install it with apt-get install -y chromium`);
  const report = await fullReport();
  const probed = report.replace(/report\.html$/, 'report-probed.html');
  writeFileSync(probed, readFileSync(report, 'utf8').replace('<head>', `<head>\n${probe}`));

  const dom = browse(probed, ['--dump-dom']);
  assert.is(attr(dom, 'body', 'data-figures'), '7');
  assert.is(attr(dom, 'body', 'data-rendered'), '7', 'every figure drawn');
  assert.is(attr(dom, 'body', 'data-failed'), '0');
  assert.is(attr(dom, 'html', 'data-errors'), undefined, `console: ${attr(dom, 'html', 'data-errors')}`);
  assert.is((dom.match(/<svg[^>]*class="marks"/g) ?? []).length, 7, 'an SVG in every chart');

  const shot = join(root, 'shot.png');
  browse(report, ['--hide-scrollbars', '--window-size=1280,2400', `--screenshot=${shot}`]);
  const img = decodePng(readFileSync(shot));
  assert.is(img.width, 1280);
  const ink = inkStats(img);
  assert.ok(ink.colors > 100 && ink.inked > 0.05, `screenshot looks blank: ${JSON.stringify(ink)}`);
});

test.run();
