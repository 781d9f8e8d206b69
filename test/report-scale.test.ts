/**
 * A sweep of many cells keeps its report usable: the figure builders ask
 * for the replica counts once, not once per cell (1000 cells took 1.1 s
 * there), report.html's full summary stops at maxSummaryRows and says where
 * the rest is, and a PNG stays within maxPngPixels (a 1000-cell figure was
 * 110 megapixels).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readOutput } from '../src/store/output-data.ts';
import { variantsOf } from '../src/report/plots/common.ts';
import { fullSummaryTable, maxSummaryRows } from '../src/report/report-tables.ts';
import { maxPngPixels, pngScale, svgToPngAsync } from '../src/report/render.ts';
import { makePaperSweep, writeSweep } from './fixtures/make-output.ts';
import { decodePng } from './helpers/png.ts';

const root = mkdtempSync(join(tmpdir(), 'report-scale-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
// 20 replica counts x 10 periods: 200 cells, each with every metric.
const periods = ['inf', 50, 40, 30, 20, 15, 10, 5, 3, 1] as const;
writeSweep(join(root, 'grid'), Array.from({ length: 20 }, (_, i) => i + 1).flatMap((replicas) => periods.map((period) => ({ period, replicas }))), 2);
makePaperSweep(join(root, 'paper'), 3);

test('the variants of 200 cells walk the cells a bounded number of times, not once per cell', async () => {
  const data = await readOutput(join(root, 'grid'));
  let walks = 0;
  const cells = data.cells;
  const counted = new Proxy(cells, {
    get(target, key, receiver) {
      if (key === 'map') walks++;
      return Reflect.get(target, key, receiver);
    },
  });
  const variants = variantsOf({ ...data, cells: counted });
  assert.is(variants.length, 20);
  assert.ok(walks <= 3, `the cells were walked ${walks} times for ${cells.length} cells`);
});

test("report.html's full summary of 200 cells stops at whole cells within maxSummaryRows and points to summary.csv; a small sweep's is whole", async () => {
  const grid = await readOutput(join(root, 'grid'));
  const perCell = grid.stats.get(0)!.size;
  const rows = (html: string) => (html.match(/<tr>/g) ?? []).length - 1; // less the heading
  const html = fullSummaryTable(grid);
  const shown = Math.floor(maxSummaryRows / perCell);
  assert.is(rows(html), shown * perCell);
  assert.match(html, `The first ${shown} of 200 cells`);
  assert.match(html, 'summary.csv has every cell');
  const paper = await readOutput(join(root, 'paper'));
  const small = fullSummaryTable(paper);
  assert.is(rows(small), 6 * paper.stats.get(0)!.size);
  assert.not.match(small, 'The first');
});

test('a PNG is twice its SVG unless that passes maxPngPixels; then it is as large as allowed, in proportion', async () => {
  const svg = (w: number, h: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="marks" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#369"/></svg>`;
  assert.is(pngScale(svg(658, 453), 2), 2);
  const small = decodePng(await svgToPngAsync(svg(658, 453)));
  assert.equal([small.width, small.height], [1316, 906]);
  const big = decodePng(await svgToPngAsync(svg(4618, 6131)));
  assert.ok(big.width * big.height <= maxPngPixels, `${big.width} x ${big.height}`);
  assert.ok(big.width * big.height > 0.99 * maxPngPixels, `${big.width} x ${big.height} is smaller than needed`);
  assert.ok(Math.abs(big.width / big.height - 4618 / 6131) < 0.001);
});

test.run();
