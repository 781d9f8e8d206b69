/**
 * Keeps the README's parameter reference generated from the schema:
 * `npm run docs` rewrites the block between the reference markers, and a
 * test fails when the committed README differs from what this produces.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parameterReference } from './reference.ts';

const start = '<!-- reference:start -->';
const end = '<!-- reference:end -->';

export function withReference(readme: string): string {
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${start} ... ${end} block`);
  const note = '<!-- generated from src/schema/schema.ts by `npm run docs`; do not edit by hand -->';
  return `${readme.slice(0, i + start.length)}\n${note}\n\n${parameterReference()}\n${readme.slice(j)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? 'README.md';
  writeFileSync(path, withReference(readFileSync(path, 'utf8')));
}
