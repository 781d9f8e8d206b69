import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicCsvWriter, OutputError, ensureDir, writeFileAtomic } from '../src/util/atomic.ts';
import { readCsv, runRow, runsHeader, summaryHeader, summaryRows } from '../src/store/csv.ts';
import { readOutput } from '../src/store/output-data.ts';
import { formatNumber, parseNumber } from '../src/util/number-format.ts';
import { makePaperSweep } from './fixtures/make-output.ts';

const root = mkdtempSync(join(tmpdir(), 'csv-test-'));
let dirCount = 0;
/** A fresh empty directory per test, so leftover temp files are visible. */
function freshDir(): string {
  dirCount += 1;
  const dir = join(root, String(dirCount));
  mkdirSync(dir);
  return dir;
}

test.after(() => rmSync(root, { recursive: true, force: true }));

test('numbers are written in shortest round-trip form, NaN empty, infinities as inf', () => {
  const cases: [number, string][] = [
    [NaN, ''], [Infinity, 'inf'], [-Infinity, '-inf'], [-0, '0'], [0, '0'], [42, '42'], [-3.5, '-3.5'],
    [0.1 + 0.2, '0.30000000000000004'], [1 / 3, '0.3333333333333333'], [1e21, '1e+21'], [5e-7, '5e-7'],
    [123456789012345680000, '123456789012345680000'], [Number.MIN_VALUE, '5e-324'],
  ];
  for (const [x, text] of cases) assert.is(formatNumber(x), text, String(x));
  for (const [x, text] of cases) {
    const back = parseNumber(text);
    assert.ok(Object.is(back, x) || (Number.isNaN(x) && Number.isNaN(back)) || (x === 0 && back === 0), text);
  }
  assert.throws(() => parseNumber('abc'), /not a number: 'abc'/);
  assert.throws(() => parseNumber(' 1'), /not a number/);
});

const params = { period: Infinity, replicas: 3, extra: [2, 'random', true] };

test('a runs.csv row lines up with its header: cell, period, replicas, paths, rep, metrics, fingerprint', () => {
  const header = runsHeader(['ingress.tries', 'ingress.balancer', 'diversifier.jitter'], ['requests', 'failure_rate']);
  assert.equal(header, [
    'cell', 'period', 'replicas', 'ingress.tries', 'ingress.balancer', 'diversifier.jitter', 'rep',
    'requests', 'failure_rate', 'fingerprint',
  ]);
  const row = runRow(4, params, 7, [1200, NaN], '0123456789abcdef');
  assert.equal(row, ['4', 'inf', '3', '2', 'random', 'true', '7', '1200', '', '0123456789abcdef']);
  assert.is(row.length, header.length);
});

test('summary.csv is long form: one row per metric, in metric order, with the cell statistics', () => {
  const header = summaryHeader(['ingress.tries']);
  assert.equal(header, [
    'cell', 'period', 'replicas', 'ingress.tries', 'metric',
    'n', 'mean', 'sd', 'ci_low', 'ci_high', 'p5', 'p50', 'p95', 'min', 'max',
  ]);
  const rows = summaryRows(1, { period: 30, replicas: 2, extra: [3] }, ['events', 'failure_rate', 't0'], {
    t0: [5],
    failure_rate: [NaN, NaN],
    events: [1, 3, NaN],
  });
  assert.equal(rows, [
    ['1', '30', '2', '3', 'events', '2', '2', '1.4142135623730951', '-10.706204736174694', '14.706204736174694', '1.1', '2', '2.9', '1', '3'],
    ['1', '30', '2', '3', 'failure_rate', '0', '', '', '', '', '', '', '', '', ''],
    ['1', '30', '2', '3', 't0', '1', '5', '', '', '', '5', '5', '5', '5', '5'],
  ]);
  for (const row of rows) assert.is(row.length, header.length);
  assert.throws(() => summaryRows(0, params, ['missing'], {}), /no values for metric missing/);
});

test('writeFileAtomic replaces the file and leaves no temp behind', async () => {
  const dir = freshDir();
  const path = join(dir, 'scenario.resolved.yaml');
  await writeFileAtomic(path, 'old\n');
  await writeFileAtomic(path, Buffer.from('new\n'));
  assert.is(readFileSync(path, 'utf8'), 'new\n');
  assert.equal(readdirSync(dir), ['scenario.resolved.yaml']);
});

test('a failed write names the path and the reason, and removes its temp', async () => {
  const dir = freshDir();
  writeFileSync(join(dir, 'file'), 'x');
  const bad = join(dir, 'file', 'runs.csv'); // parent is a file: fails even as root
  try {
    await writeFileAtomic(bad, 'data');
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, OutputError);
    assert.is((err as OutputError).message, `cannot write ${bad}: a parent of the path is not a directory`);
    assert.is((err as OutputError).code, 'ENOTDIR');
  }
  assert.equal(readdirSync(dir), ['file']);
});

test('a write that fails after the data is written leaves what was at the path intact', async () => {
  const dir = freshDir();
  const target = join(dir, 'runs.csv');
  mkdirSync(target); // the rename onto a directory fails after the temp is complete
  writeFileSync(join(target, 'keep'), 'kept');
  try {
    await writeFileAtomic(target, 'data');
    assert.unreachable('should fail');
  } catch (err) {
    assert.match((err as Error).message, `cannot write ${target}: `);
  }
  assert.equal(readdirSync(dir), ['runs.csv']);
  assert.is(readFileSync(join(target, 'keep'), 'utf8'), 'kept');
});

test('ensureDir creates missing parents and reports a file in the way', async () => {
  const dir = freshDir();
  await ensureDir(join(dir, 'a', 'b'));
  await ensureDir(join(dir, 'a', 'b')); // already there: fine
  assert.equal(readdirSync(join(dir, 'a')), ['b']);
  writeFileSync(join(dir, 'f'), '');
  try {
    await ensureDir(join(dir, 'f', 'g'));
    assert.unreachable('should fail');
  } catch (err) {
    assert.match((err as Error).message, `cannot create directory ${join(dir, 'f', 'g')}: `);
  }
});

test('AtomicCsvWriter round-trips awkward fields through readCsv and ends with a newline', async () => {
  const dir = freshDir();
  const path = join(dir, 'runs.csv');
  const w = await AtomicCsvWriter.open(path, ['a', 'b', 'c']);
  await w.write(['1', '', 'plain']);
  await w.write(['x,y', 'say "hi"', 'two\nlines']);
  assert.equal(readdirSync(dir).length, 1);
  assert.not.ok(readdirSync(dir).includes('runs.csv'), 'nothing at the path before close');
  await w.close();
  assert.equal(readdirSync(dir), ['runs.csv']);
  const text = readFileSync(path, 'utf8');
  assert.is(text, 'a,b,c\n1,,plain\n"x,y","say ""hi""","two\nlines"\n');
  assert.equal(await readCsv(path), [
    { a: '1', b: '', c: 'plain' },
    { a: 'x,y', b: 'say "hi"', c: 'two\nlines' },
  ]);
});

test('AtomicCsvWriter writes the bytes fast-csv wrote before it (quotes, commas, bars, line breaks, NULs, empty fields)', async () => {
  const { writeToString } = await import('fast-csv');
  const pieces = ['', 'a', ',', '"', '|', '\n', '\r', '\0', ' ', 'é', 'inf', '1e-7', 'x,y', 'say "hi"'];
  const header = ['h1', 'h|2', 'h"3'];
  const rows: string[][] = [];
  let seed = 7;
  const pick = () => pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length];
  for (let i = 0; i < 300; i++) rows.push([pick() + pick(), pick(), pick() + pick() + pick()]);
  const file = join(freshDir(), 'w.csv');
  const w = await AtomicCsvWriter.open(file, header);
  for (const r of rows) await w.write(r);
  await w.close();
  const reference = await writeToString(rows, { headers: header, alwaysWriteHeaders: true, includeEndRowDelimiter: true });
  assert.is(readFileSync(file, 'utf8'), reference);
});

test('AtomicCsvWriter with no rows still writes the header', async () => {
  const path = join(freshDir(), 'summary.csv');
  const w = await AtomicCsvWriter.open(path, ['cell', 'metric']);
  await w.close();
  assert.is(readFileSync(path, 'utf8'), 'cell,metric\n');
  assert.equal(await readCsv(path), []);
});

test('AtomicCsvWriter streams many rows with backpressure', async () => {
  const path = join(freshDir(), 'runs.csv');
  const w = await AtomicCsvWriter.open(path, ['i', 'x']);
  const rows = 50_000;
  for (let i = 0; i < rows; i++) await w.write([String(i), formatNumber(i / 7)]);
  await w.close();
  const back = await readCsv(path);
  assert.is(back.length, rows);
  assert.equal(back[rows - 1], { i: String(rows - 1), x: String((rows - 1) / 7) });
});

test('AtomicCsvWriter.abort keeps the old file and removes the temp', async () => {
  const dir = freshDir();
  const path = join(dir, 'runs.csv');
  writeFileSync(path, 'old\n');
  const w = await AtomicCsvWriter.open(path, ['a']);
  await w.write(['1']);
  await w.abort();
  await w.abort(); // twice is harmless
  assert.is(readFileSync(path, 'utf8'), 'old\n');
  assert.equal(readdirSync(dir), ['runs.csv']);
  try {
    await w.write(['2']);
    assert.unreachable('should fail');
  } catch (err) {
    assert.match((err as Error).message, 'already aborted');
  }
});

test('AtomicCsvWriter reports a failed open or close with the path, leaving no temp', async () => {
  const dir = freshDir();
  writeFileSync(join(dir, 'file'), 'x');
  const bad = join(dir, 'file', 'runs.csv');
  try {
    await AtomicCsvWriter.open(bad, ['a']);
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as Error).message, `cannot write ${bad}: a parent of the path is not a directory`);
  }
  const target = join(dir, 'out');
  mkdirSync(target);
  const w = await AtomicCsvWriter.open(target, ['a']);
  await w.write(['1']);
  try {
    await w.close();
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, OutputError);
    assert.match((err as Error).message, `cannot write ${target}: `);
  }
  assert.equal(readdirSync(dir).sort(), ['file', 'out']);
});

test('readCsv reads a file without quotes (its hand-split fast path) as fast-csv reads it', async () => {
  const { parseString } = await import('fast-csv');
  const pieces = ['', '0', '-1.5e-7', 'inf', 'NaN', 'a b', ' ', 'é', '|', '\0', '\t', 'round-robin', 'x;y'];
  let seed = 11;
  const pick = () => pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length];
  for (let file = 0; file < 20; file++) {
    const columns = 1 + (file % 5);
    const header = Array.from({ length: columns }, (_, i) => `c${i}${pick()}`);
    const lines = [header.join(',')];
    for (let r = 0; r < file * 7; r++) lines.push(Array.from({ length: columns }, () => pick() + pick()).join(','));
    const text = `${lines.join('\n')}\n`;
    const path = join(freshDir(), 'plain.csv');
    writeFileSync(path, text);
    const reference = await new Promise<Record<string, string>[]>((resolve, reject) => {
      const rows: Record<string, string>[] = [];
      parseString(text, { headers: true }).on('data', (r) => rows.push(r)).on('end', () => resolve(rows)).on('error', reject);
    });
    assert.equal(await readCsv(path), reference, text);
  }
});

test('runs.csv reads the same through its plain path and through the parser', async () => {
  const dir = freshDir();
  makePaperSweep(dir);
  const plain = await readOutput(dir);
  // A quoted field sends the file to fast-csv (it reads "x" as x): the rows must not change.
  const path = join(dir, 'runs.csv');
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[1] = lines[1].replace(/,([^,]*)$/, ',"$1"');
  writeFileSync(path, lines.join('\n'));
  const parsed = await readOutput(dir);
  assert.is(plain.runs.length, 6 * 6);
  assert.equal(parsed.runs, plain.runs);
  assert.ok(Object.keys(plain.runs[0].values).length > 40, 'every metric column, and only those');
  assert.not.ok('fingerprint' in plain.runs[0].values || 'rep' in plain.runs[0].values || 'period' in plain.runs[0].values);
});

test('readCsv names the file it cannot read', async () => {
  const path = join(freshDir(), 'missing.csv');
  try {
    await readCsv(path);
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as Error).message, `cannot read ${path}: no such file`);
  }
});

test.run();
