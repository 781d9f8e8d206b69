/**
 * The layers of src/ (README "Project layout"): every relative import of a
 * file of src/ goes to its own folder or to a folder on a lower floor, as
 * the README's table gives the floors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

function floors(): Map<string, number> {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Project layout'));
  const m = new Map<string, number>();
  for (const row of section.matchAll(/^\| (\d+)[^|]*\| ([^|]+) \|/gm)) {
    for (const f of row[2].matchAll(/`src\/([a-z0-9-]+)`/g)) m.set(f[1], Number(row[1]));
  }
  return m;
}

const sources = (): string[] =>
  readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mjs)$/.test(f))
    .map((f) => join('src', f));

test('every folder of src/ has a floor in the README', () => {
  const f = floors();
  const folders = new Set(sources().map((p) => p.split('/')[1]));
  for (const d of folders) assert.ok(f.has(d), `src/${d} is not in the README's layout table`);
});

test('no import points up a floor', () => {
  const f = floors();
  const up: string[] = [];
  for (const p of sources()) {
    const from = p.split('/')[1];
    for (const m of readFileSync(p, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = normalize(join(dirname(p), m[1]));
      if (!target.startsWith('src/')) continue;
      const to = target.split('/')[1];
      if (to !== from && f.get(to)! >= f.get(from)!) up.push(`${p} -> ${target} (floor ${f.get(from)} to ${f.get(to)})`);
    }
  }
  assert.equal(up, []);
});

test.run();
