/**
 * The files a sweep keeps while it runs, in `<out>/parts/`:
 *
 *   parts/plan.json       what the final files need (columns, cells, plan hash, shard)
 *   parts/resolved.yaml   the text of sweep.resolved.yaml (scenario.resolved.yaml for `sim run`)
 *   parts/units/C-R.csv   the runs.csv rows of cell C, replications R.. of one unit, with the header
 *
 * Each file appears whole (atomic rename), so after a crash or a Ctrl-C
 * every unit file present is complete and `--resume` only redoes the rest.
 * A finished shard also writes `<out>/shard.json`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepPlan } from '../experiment/plan.ts';
import { fixedColumns } from '../experiment/plan.ts';
import type { UnitResult } from '../experiment/unit-run.ts';
import { planUnits, type Shard, type Unit } from '../experiment/units.ts';
import { csvRow, writeFileAtomic } from '../util/atomic.ts';
import { runRow, runsHeader, type CellParams, type ParamValue } from './csv.ts';
import { formatNumber, parseNumber } from '../util/number-format.ts';

export const partsDir = (out: string) => join(out, 'parts');
export const planPath = (out: string) => join(out, 'parts', 'plan.json');
export const resolvedPartPath = (out: string) => join(out, 'parts', 'resolved.yaml');
export const unitsDir = (out: string) => join(out, 'parts', 'units');
export const shardMarkerName = 'shard.json';
export const shardMarkerPath = (out: string) => join(out, shardMarkerName);
export const unitFileName = (u: Unit) => `${u.cell}-${u.from}.csv`;

/** parts/plan.json: everything `sim merge` needs besides the unit files, parameters already formatted. */
export interface PlanFile {
  format: 1;
  hash: string;
  kind: SweepPlan['kind'];
  name: string;
  resolvedFile: string;
  paramColumns: string[];
  metrics: string[];
  cells: { reps: number; period: string; replicas: string; extra: string[] }[];
  /** The shard this directory runs, or null for the whole sweep. */
  shard: Shard | null;
}

/** shard.json: written when a shard has run all its units. */
export interface ShardMarker {
  format: 1;
  hash: string;
  shard: Shard;
  units: number;
}

export function planFile(plan: SweepPlan, shard: Shard | undefined): PlanFile {
  const extraAxes = plan.axes.map((a, i) => [a.path, i] as const).filter(([p]) => !Object.hasOwn(fixedColumns, p));
  return {
    format: 1,
    hash: plan.hash,
    kind: plan.kind,
    name: plan.name,
    resolvedFile: plan.resolvedFile,
    paramColumns: plan.paramColumns,
    metrics: plan.metrics,
    cells: plan.cells.map((c) => {
      const period = c.scenario.diversifier.period;
      return {
        reps: c.scenario.reps,
        period: formatNumber(period === 'inf' ? Infinity : period),
        replicas: formatNumber(c.scenario.cluster.replicas),
        extra: extraAxes.map(([, i]) => formatParam(c.values[i])),
      };
    }),
    shard: shard ?? null,
  };
}

function formatParam(v: ParamValue): string {
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** The parameter columns of a cell, as csv.ts writes them (the texts read back to the same fields). */
export function cellParams(p: PlanFile, cell: number): CellParams {
  const c = p.cells[cell];
  return { period: parseNumber(c.period), replicas: parseNumber(c.replicas), extra: c.extra };
}

export const unitsOf = (p: PlanFile): Unit[] => planUnits(p.cells.map((c) => c.reps));

/**
 * Writes a unit's runs.csv rows (with the header) atomically, in one piece:
 * a unit is small, and formatting it here rather than through the CSV
 * stream keeps the main thread free for the workers. Rows are formatted as
 * runs.csv formats them, so assembling copies them as they are.
 */
export async function writeUnitFile(path: string, p: PlanFile, r: UnitResult): Promise<void> {
  const params = cellParams(p, r.unit.cell);
  let text = csvRow(runsHeader(p.paramColumns, p.metrics));
  for (let k = 0; k < r.fingerprints.length; k++) {
    const metrics = Array.from(r.metrics.subarray(k * r.width, (k + 1) * r.width));
    text += csvRow(runRow(r.unit.cell, params, r.unit.from + k, metrics, r.fingerprints[k]));
  }
  await writeFileAtomic(path, text);
}

/** Reads parts/plan.json, or undefined if there is none. Throws on a file that is not a plan. */
export async function readPlanFile(out: string): Promise<PlanFile | undefined> {
  const text = await readOptional(planPath(out));
  if (text === undefined) return undefined;
  const p = JSON.parse(text) as Partial<PlanFile>;
  if (p.format !== 1 || typeof p.hash !== 'string' || !Array.isArray(p.cells)) throw new Error(`${planPath(out)} is not a sweep plan of this version`);
  return p as PlanFile;
}

export async function readShardMarker(out: string): Promise<ShardMarker | undefined> {
  const text = await readOptional(shardMarkerPath(out));
  return text === undefined ? undefined : (JSON.parse(text) as ShardMarker);
}

export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function sameShard(a: Shard | null | undefined, b: Shard | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.index === b.index && a.count === b.count;
}

export const shardText = (s: Shard | null | undefined): string => (s ? `shard ${s.index}/${s.count}` : 'the whole sweep');
