/**
 * The final files of a sweep, assembled from its unit files: runs.csv
 * (cell, then replication order), summary.csv and the resolved scenario.
 * An unsharded sweep and `sim merge` of its shards both come here, with
 * the same unit files, so they write the same bytes. Rows are streamed
 * through; only the current cell's values are held, for its summary.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'fast-csv';
import type { Unit } from '../experiment/units.ts';
import { UserError } from '../util/errors.ts';
import { AtomicCsvWriter, stageFile, type StagedFile } from '../util/atomic.ts';
import { runsHeader, summaryHeader, summaryRows } from './csv.ts';
import { parseNumber } from '../util/number-format.ts';
import { cellParams, unitsOf, type PlanFile } from './sweep-files.ts';

/** Per-metric values of one cell's runs, in replication order. */
export type CellValues = Record<string, number[]>;

/** Called once per cell, in order, with its values (e.g. for the console table); they are dropped afterwards. */
export type OnCell = (cell: number, values: CellValues, plan: PlanFile) => void;

export interface AssembleOptions {
  /** Where the unit file of `u` is. */
  unitPath: (u: Unit) => string;
  onCell?: OnCell;
}

/** Writes runs.csv, summary.csv and the resolved scenario into `out`; returns their paths. */
export async function assemble(out: string, plan: PlanFile, resolvedText: string, options: AssembleOptions): Promise<string[]> {
  const files = [join(out, 'runs.csv'), join(out, 'summary.csv'), join(out, plan.resolvedFile)];
  const header = runsHeader(plan.paramColumns, plan.metrics);
  const runs = await AtomicCsvWriter.open(files[0], header);
  const summary = await AtomicCsvWriter.open(files[1], summaryHeader(plan.paramColumns)).catch(async (e: unknown) => {
    await runs.abort();
    throw e;
  });
  let resolved: StagedFile | undefined;
  try {
    const units = unitsOf(plan);
    for (let cell = 0; cell < plan.cells.length; cell++) {
      const values = await copyCell(plan, header, units.filter((u) => u.cell === cell), options.unitPath, runs);
      for (const row of summaryRows(cell, cellParams(plan, cell), plan.metrics, values)) await summary.write(row);
      options.onCell?.(cell, values, plan);
    }
    // Everything is written before anything is replaced: a full disk leaves the earlier files as they were.
    await runs.stage();
    await summary.stage();
    resolved = await stageFile(files[2], resolvedText);
    // The resolved file goes last: until it matches the plan, a resume assembles again.
    await runs.commit();
    await summary.commit();
    await resolved.commit();
  } catch (e) {
    await Promise.all([runs.abort(), summary.abort(), resolved?.discard()]);
    throw e;
  }
  return files;
}

/** Streams a cell's unit files into runs.csv, checking each row is where it belongs, and returns its values. */
async function copyCell(plan: PlanFile, header: string[], units: Unit[], unitPath: (u: Unit) => string, runs: AtomicCsvWriter): Promise<CellValues> {
  const reps = plan.cells[units[0]?.cell ?? 0]?.reps ?? 0;
  const columns = plan.metrics.map(() => new Array<number>(reps));
  const first = header.length - plan.metrics.length - 1;
  const repColumn = first - 1;
  for (const u of units) {
    const path = unitPath(u);
    if (await copyPlainUnit(path, u, header, first, columns, runs)) continue;
    let line = 0;
    await readRows(path, async (row) => {
      line += 1;
      if (line === 1) {
        if (row.join() !== header.join()) throw damaged(path, 1, `expected the sweep's runs.csv header, found ${row.slice(0, 4).join(',')}...`);
        return;
      }
      const rep = u.from + line - 2;
      if (row[0] !== String(u.cell) || row[repColumn] !== String(rep) || row.length !== header.length) {
        throw damaged(path, line, `expected cell ${u.cell}, replication ${rep} with ${header.length} fields`);
      }
      for (let m = 0; m < columns.length; m++) columns[m][rep] = parseNumber(row[first + m]);
      await runs.write(row);
    });
    if (line - 1 !== u.to - u.from) throw damaged(path, undefined, `expected ${u.to - u.from} replications, found ${line - 1}`);
  }
  return Object.fromEntries(plan.metrics.map((name, m) => [name, columns[m]]));
}

/**
 * The fast path of copyCell: a unit file without quotes (every one a sweep
 * of numbers writes) is split by hand and its lines, checked, are copied as
 * they are (they were formatted as runs.csv formats them). False, with
 * nothing written, for a file that needs the CSV parser.
 */
async function copyPlainUnit(path: string, u: Unit, header: string[], first: number, columns: number[][], runs: AtomicCsvWriter): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false; // the parser's path reports it
  }
  if (/["|\r\0]/.test(text) || !text.endsWith('\n')) return false;
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== header.join(',')) return false;
  const repColumn = first - 1;
  const cell = String(u.cell);
  for (let k = 1; k < lines.length; k++) {
    const row = lines[k].split(',');
    const rep = u.from + k - 1;
    if (row[0] !== cell || row[repColumn] !== String(rep) || row.length !== header.length) {
      throw damaged(path, k + 1, `expected cell ${u.cell}, replication ${rep} with ${header.length} fields`);
    }
    for (let m = 0; m < columns.length; m++) columns[m][rep] = parseCell(path, k + 1, row[first + m]);
  }
  if (lines.length - 1 !== u.to - u.from) throw damaged(path, undefined, `expected ${u.to - u.from} replications, found ${lines.length - 1}`);
  await runs.writeFormatted(text.slice(text.indexOf('\n') + 1));
  return true;
}

function parseCell(path: string, line: number, text: string): number {
  try {
    return parseNumber(text);
  } catch (e) {
    throw damaged(path, line, (e as Error).message);
  }
}

/** A unit file that is not what this run wrote (edited, or from another version): the user's to remove. */
function damaged(file: string, line: number | undefined, message: string): UserError {
  const advice = '; the unit file was changed after it was written: delete it and run again with --resume';
  return new UserError([{ file, ...(line !== undefined ? { line } : {}), path: '', message: `${message}${advice}` }]);
}

async function readRows(path: string, onRow: (row: string[]) => Promise<void>): Promise<void> {
  // pipeline reports an error thrown by the consumer as an AbortError of the source: keep the real one.
  let failure: unknown;
  await pipeline(createReadStream(path), parse({ headers: false }), async (source: AsyncIterable<string[]>) => {
    try {
      for await (const row of source) await onRow(row);
    } catch (e) {
      failure = e;
      throw e;
    }
  }).catch((e: unknown) => {
    throw failure ?? e;
  });
}
