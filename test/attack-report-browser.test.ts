/**
 * The recommendation in report.html follows the reader's thresholds: in
 * the headless Chromium that ships with npm (test/helpers/browser.ts), the decision figure's two
 * sliders are moved and the recommended cell it names must be the one the
 * recommendation computes in Node for the same thresholds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readOutput } from '../src/store/output-data.ts';
import { plotOutputs } from '../src/report/plot-outputs.ts';
import { recommend } from '../src/report/recommend.ts';
import type { Thresholds } from '../src/report/thresholds.ts';
import { launchBrowser } from './helpers/browser.ts';
import { runMain } from './helpers/in-process.ts';

const root = mkdtempSync(join(tmpdir(), 'attack-browser-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const scenario = `name: attack-browser
seed: 3
reps: 30
horizon: 300
sweep: { vary: { diversifier.period: [inf, 5, 1] } }
cluster: { sigterm: exit }
workload: { dataset: { tasksPerProject: 10, maliciousTasks: 1 } }
attack:
  - { kind: lateral, exploitTime: 10 }
`;

/** Moves both sliders in turn and writes the decision figure's recommendation text after each move onto <body>. */
const mover = (moves: Thresholds[]) => `<script>
window.addEventListener('load', function () {
  var moves = ${JSON.stringify(moves)};
  var fig = document.getElementById('fig8-attack-decision');
  // A text mark's lines are tspans: joined by '|', the mark's line break.
  function text() {
    var found = '';
    Array.prototype.forEach.call(fig.querySelectorAll('text'), function (e) {
      var spans = e.querySelectorAll('tspan');
      var t = spans.length ? Array.prototype.map.call(spans, function (x) { return x.textContent; }).join('|') : e.textContent;
      if (!found && /^(recommended: |no setting meets)/.test(t)) found = t;
    });
    return found;
  }
  function set(name, v) {
    var input = fig.querySelector('input[name="' + name + '"]');
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  var i = 0;
  function step() {
    if (i > 0) document.body.setAttribute('data-rec' + (i - 1), text());
    if (i === moves.length) return document.body.setAttribute('data-moved', String(moves.length));
    set('maxRisk', moves[i].maxRisk);
    set('maxFailure', moves[i].maxFailure);
    i++;
    setTimeout(step, 300);
  }
  (function wait() { document.body.hasAttribute('data-rendered') ? step() : setTimeout(wait, 100); })();
});
</script>`;

test('moving the sliders moves the recommended cell to the one computed for those thresholds', async () => {
  const file = join(root, 'attack-browser.yaml');
  writeFileSync(file, scenario);
  const out = join(root, 'out');
  const r = await runMain(['sweep', file, '--out', out, '--workers', '1', '--no-plots', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  await plotOutputs(out, { strict: true });
  const data = await readOutput(out);
  const moves: Thresholds[] = [{ maxRisk: 1, maxFailure: 0.5 }, { maxRisk: 0, maxFailure: 0 }, { maxRisk: 0.4, maxFailure: 0.5 }];
  const expected = moves.map((t) => {
    const pick = recommend(data, t).decisions[0].pick;
    return pick ? `recommended: ${pick.setting.replace(', R', '|R')}` : 'no setting meets both thresholds';
  });
  assert.ok(new Set(expected).size >= 2, `the moves must change the recommendation: ${expected.join(' / ')}`);
  const page = join(out, 'report-moved.html');
  writeFileSync(page, readFileSync(join(out, 'report.html'), 'utf8').replace('</body>', `${mover(moves)}\n</body>`));
  const browser = await launchBrowser();
  let seen: string[];
  try {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load', timeout: 30_000 });
    await tab.waitForFunction(`document.body.getAttribute('data-moved') === '${moves.length}'`, { timeout: 60_000 });
    seen = await tab.evaluate((n: number) => Array.from({ length: n }, (_, i) => document.body.getAttribute(`data-rec${i}`) ?? ''), moves.length);
  } finally {
    await browser.close();
  }
  assert.equal(seen, expected);
});

test.run();
