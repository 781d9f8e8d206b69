import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
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

test.run();
