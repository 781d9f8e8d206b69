import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withReference } from '../src/scenario/readme.ts';

const readme = readFileSync('README.md', 'utf8');

test('the README parameter reference is the one generated from the schema (run `npm run docs`)', () => {
  assert.is(readme, withReference(readme));
});

test('the README starts with the two commands: the paper scenario and the tests', () => {
  const firstBlock = readme.split('```')[1];
  assert.match(firstBlock, /npx sim run scenarios\/paper\.yaml/);
  assert.match(firstBlock, /npm test/);
});

/** Every text file under the folders, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mjs|md|yaml|json|csv)$/.test(name) ? [path] : [];
  });
}

test('the model is described inside the project: no reference to a model file outside it, and every cited section of docs/model.md exists', () => {
  const model = readFileSync('docs/model.md', 'utf8');
  const sections = new Set([...model.matchAll(/^## (\d+)\. /gm)].map((m) => m[1]));
  assert.equal([...sections], ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  const outside = 'MODEL' + '.md';
  for (const file of ['README.md', ...['src', 'test', 'bench', 'scenarios'].flatMap(filesUnder)]) {
    const text = readFileSync(file, 'utf8');
    assert.not.ok(text.includes(outside), `${file} refers to ${outside}`);
    for (const m of text.matchAll(/docs\/model\.md sections? ([\d, and]+)/g)) {
      for (const n of m[1].match(/\d+/g) ?? []) assert.ok(sections.has(n), `${file}: docs/model.md has no section ${n}`);
    }
  }
});

test.run();
