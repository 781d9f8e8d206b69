/**
 * report.html in a real browser: the headless Chromium that @sparticuz/chromium
 * ships inside its npm package (test/helpers/browser.ts) opens it from disk
 * with every network request refused; every figure must be drawn with no
 * console error or warning, text must be laid out in a real font, and a
 * screenshot must show something.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plotOutputs } from '../src/report/plot-outputs.ts';
import { launchBrowser } from './helpers/browser.ts';
import { makeGridSweep, makeTracedRun } from './fixtures/make-output.ts';
import { decodePng, inkStats } from './helpers/png.ts';

const root = mkdtempSync(join(tmpdir(), 'report-browser-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** A grid sweep with a trace beside it and live results, so the report holds all seven figures and the comparison. */
async function fullReport(): Promise<string> {
  const dir = join(root, 'out');
  makeGridSweep(dir);
  makeTracedRun(join(root, 'traced'));
  for (const f of ['pods.csv', 'requests.csv']) copyFileSync(join(root, 'traced', f), join(dir, f));
  await plotOutputs(dir, { live: 'scenarios/live/paper-aks.csv', strict: true });
  return join(dir, 'report.html');
}

test('report.html draws every figure in headless Chromium without a console error or a network request, and is not blank', async () => {
  const report = await fullReport();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    const network: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${String(e)}`));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (/^(file|data|blob|about):/.test(r.url())) void r.continue();
      else { network.push(r.url()); void r.abort(); }
    });
    await page.setViewport({ width: 1280, height: 2400 });
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load', timeout: 30_000 });
    await page.waitForFunction(
      () => document.body.dataset.rendered !== undefined &&
        Number(document.body.dataset.rendered) + Number(document.body.dataset.failed ?? 0) === Number(document.body.dataset.figures),
      { timeout: 30_000 },
    );
    const body = await page.evaluate(() => ({ ...document.body.dataset }));
    assert.is(body.figures, '8');
    assert.is(body.rendered, '8', 'every figure drawn');
    assert.is(body.failed, '0');
    assert.equal(problems, [], 'no console error or warning');
    assert.equal(network, [], 'no network request');
    assert.is(await page.evaluate(() => document.querySelectorAll('svg.marks').length), 8, 'an SVG in every chart');

    // Text is drawn in a real font (with no font, glyphs have no width).
    const width = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = '12px sans-serif';
      return ctx.measureText('insert failure rate').width;
    });
    assert.ok(width > 60, `text has no width: ${width}`);

    const png = Buffer.from(await page.screenshot({ type: 'png' }));
    if (process.env.REPORT_SHOT) writeFileSync(process.env.REPORT_SHOT, png); // to look at it
    const img = decodePng(png);
    assert.is(img.width, 1280);
    const ink = inkStats(img);
    assert.ok(ink.colors > 100 && ink.inked > 0.05, `screenshot looks blank: ${JSON.stringify(ink)}`);
  } finally {
    await browser.close();
  }
});

test.run();
