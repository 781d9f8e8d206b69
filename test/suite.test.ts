/**
 * The suite itself: a test() registered inside another test's body is never
 * run by uvu, silently (one held the event queue's held-event test for a
 * session). Every test file is parsed and no test() call may sit inside
 * another's arguments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const isTestCall = (n: ts.Node): boolean => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'test';

/** Lines of test() calls nested inside another test() call. */
export function nestedTests(file: string, text: string): number[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const walk = (n: ts.Node, inside: boolean): void => {
    if (inside && isTestCall(n)) lines.push(src.getLineAndCharacterOfPosition(n.getStart()).line + 1);
    const enter = inside || isTestCall(n);
    ts.forEachChild(n, (c) => walk(c, enter));
  };
  walk(src, false);
  return lines;
}

test('the check finds a test() inside another test body', () => {
  const text = "test('a', () => {\n  const x = 1;\ntest('b', () => {});\n});\nfor (const k of [1]) test(`c${k}`, () => {});\n";
  assert.equal(nestedTests('x.ts', text), [3]);
});

test('no test file registers a test inside another test', () => {
  const files = readdirSync('test').filter((f) => f.endsWith('.test.ts'));
  assert.ok(files.length > 20);
  for (const f of files) assert.equal(nestedTests(f, readFileSync(join('test', f), 'utf8')), [], `test/${f}: test() nested in a test body is never run`);
});

test.run();
