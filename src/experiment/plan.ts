/**
 * A sweep plan: the cells (the cartesian product of the axes), each a fully
 * validated scenario, and a hash that names the plan so that a resume or a
 * merge never mixes results of different sweeps.
 *
 * Cell order: the axes of the scenario's `sweep.vary` block in file order,
 * then the `--vary` axes in command-line order; the first axis varies
 * slowest and the last fastest (row-major, like nested loops). Values keep
 * the order they were written in. Cell i is the same cell in every run, shard
 * and merge of the plan.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { attackActors } from '../attack/index.ts';
import { metricNames } from '../schema/metric-names.ts';
import { UserError, formatIssues, type Issue } from '../util/errors.ts';
import { loadScenario, parseScenario, readScenarioText } from '../scenario/load.ts';
import type { Scenario } from '../schema/schema.ts';
import { modelFingerprint } from './model-version.ts';
import { contentYaml, fromFolder, resolvedYamlIn } from './resolved.ts';
import { planUnits, type Unit } from './units.ts';
import { axesFromBlock, checkSetsAgainstAxes, mergeAxes, tryParseVary, type Axis, type Scalar } from './vary.ts';

/** Paths that are always columns of runs.csv (as `period` and `replicas`), never extra columns. */
export const fixedColumns: Readonly<Record<string, string>> = { 'diversifier.period': 'period', 'cluster.replicas': 'replicas' };

/** More cells than this is surely a mistake in the axes, even with --force. */
export const maxCells = 1_000_000;
/** Sweeps larger than these (days of computing) need --force. */
export const largeCells = 100_000;
export const largeReplications = 10_000_000;

export interface Cell {
  index: number;
  /** The cell's scenario, validated like a `--set` of its values; without the sweep block. */
  scenario: Scenario;
  /** The value of each axis, in axis order. */
  values: Scalar[];
}

export interface SweepPlan {
  kind: 'run' | 'sweep';
  name: string;
  axes: Axis[];
  /** Varied paths other than `diversifier.period` and `cluster.replicas`, in axis order. */
  paramColumns: string[];
  metrics: string[];
  cells: Cell[];
  units: Unit[];
  /** `scenario.resolved.yaml` (run) or `sweep.resolved.yaml`, its scenario (dataset paths relative to the working directory) and its text there. */
  resolvedFile: string;
  resolved: Scenario;
  resolvedText: string;
  /** The text of the resolved file as written in folder `dir` (dataset paths relative to it). */
  resolvedIn: (dir: string) => string;
  /**
   * sha256 of everything the results depend on: the resolved scenario with
   * each dataset file's contents in place of its path, the axes, the unit
   * split, the metrics, the model's code.
   */
  hash: string;
}

export interface SweepOptions {
  /** `--set` tokens, applied before the cell's values. */
  sets?: readonly string[];
  /** `--vary` tokens. */
  vary?: readonly string[];
  /** Run a sweep above largeCells or largeReplications. */
  force?: boolean;
}

/** The plan of `sim sweep file`. Throws UserError with every bad token or value found. */
export function planSweep(file: string, options: SweepOptions = {}): SweepPlan {
  const sets = options.sets ?? [];
  const base = loadScenario(file, sets);
  const cli: Axis[] = [];
  const issues: Issue[] = [];
  for (const token of options.vary ?? []) {
    const r = tryParseVary(token);
    if ('message' in r) issues.push(r);
    else cli.push(r);
  }
  if (issues.length > 0) throw new UserError(issues);
  const axes = mergeAxes(axesFromBlock(base.sweep?.vary, file), cli);
  checkSetsAgainstAxes(sets, axes);
  checkSize(axes, base.reps, file, options.force === true);
  const cells = buildCells(readScenarioText(file), file, sets, axes, base);
  const resolved: Scenario = { ...base, sweep: undefined };
  // Varied dataset paths are relative to the scenario file, as the cells read them; in the plan, to the working directory.
  const values = (a: Axis) => (a.path === datasetAxis ? a.values.map((v) => (typeof v === 'string' ? fromFolder(dirname(file), v) : v)) : a.values);
  if (axes.length > 0) resolved.sweep = { vary: Object.fromEntries(axes.map((a) => [a.path, values(a)])) };
  return finishPlan('sweep', base.name, axes, cells, 'sweep.resolved.yaml', resolved);
}

/** Refuses absurd sweeps before their cells are built: more than maxCells always, large ones without --force. */
function checkSize(axes: readonly Axis[], reps: number, file: string, force: boolean): void {
  const cells = axes.reduce((n, a) => n * a.values.length, 1);
  const fail = (message: string) => new UserError([{ file, path: 'sweep.vary', message }]);
  if (cells > maxCells) throw fail(`the axes make ${cells} cells, more than ${maxCells}`);
  const advice = '; check the axes, or add --force to run it anyway';
  if (cells > largeCells && !force) throw fail(`the axes make ${cells} cells, more than ${largeCells}${advice}`);
  // Replications: every cell's reps, the reps axis (if any) counted once per combination of the others.
  const axis = axes.find((a) => a.path === 'reps');
  const perCell = axis ? axis.values.reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0) / axis.values.length : reps;
  const total = Math.round(cells * perCell);
  if (total > largeReplications && !force) throw fail(`${cells} cells make ${total} replications, more than ${largeReplications}${advice}`);
}

/** `sim run`: one cell, the scenario as loaded; the resolved file is written as `sim run` always wrote it. */
export function planRun(scenario: Scenario): SweepPlan {
  const cell: Cell = { index: 0, scenario, values: [] };
  return finishPlan('run', scenario.name, [], [cell], 'scenario.resolved.yaml', scenario);
}

const datasetAxis = 'workload.dataset.file';

function finishPlan(kind: SweepPlan['kind'], name: string, axes: Axis[], cells: Cell[], resolvedFile: string, resolved: Scenario): SweepPlan {
  const names = (s: Scenario) => metricNames(Object.keys(s.services), attackActors(s));
  const metrics = names(cells[0].scenario);
  for (const c of cells) {
    const own = names(c.scenario);
    if (own.join() !== metrics.join()) {
      throw new UserError([{ file: 'sweep', path: 'services', message: `cell ${c.index} has other services or attackers than cell 0; every cell must have the same ones` }]);
    }
  }
  const units = planUnits(cells.map((c) => c.scenario.reps));
  const paramColumns = axes.map((a) => a.path).filter((p) => !Object.hasOwn(fixedColumns, p));
  // The dataset axis is hashed through the resolved sweep block (contents, not paths).
  const axisTexts = axes.map((a) => [a.path, a.path === datasetAxis ? [] : a.values.map(scalarText)]);
  const hash = createHash('sha256')
    .update(JSON.stringify({ format: 2, kind, resolved: contentYaml(resolved), axes: axisTexts, units, metrics, model: modelFingerprint() }))
    .digest('hex');
  const resolvedIn = (dir: string) => resolvedYamlIn(resolved, dir);
  return { kind, name, axes, paramColumns, metrics, cells, units, resolvedFile, resolved, resolvedText: resolvedIn('.'), resolvedIn, hash };
}

/** The cells in row-major order; every value is applied as a `--set` of the cell, with the same validation. */
function buildCells(text: string, file: string, sets: readonly string[], axes: readonly Axis[], base: Scenario): Cell[] {
  const cells: Cell[] = [];
  const issues = new Map<string, Issue>();
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  for (let index = 0; index < count; index++) {
    const values = valuesOfCell(axes, index);
    const tokens = axes.map((a, i) => `${a.path}=${scalarText(values[i])}`);
    try {
      const scenario = parseScenario(text, file, [...sets, ...tokens]);
      checkDatasetFile(scenario, base, tokens, axes, values);
      delete scenario.sweep;
      cells.push({ index, scenario, values });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      // The same bad value fails in every combination with the other axes: report it once.
      for (const issue of e.issues.map((i) => renameSource(i, tokens, axes, values))) issues.set(formatIssues([issue]), issue);
    }
  }
  if (issues.size > 0) throw new UserError([...issues.values()]);
  return cells;
}

/** Axis values of cell `index`: the last axis counts fastest. */
export function valuesOfCell(axes: readonly Axis[], index: number): Scalar[] {
  const values: Scalar[] = new Array<Scalar>(axes.length);
  let rest = index;
  for (let i = axes.length - 1; i >= 0; i--) {
    const n = axes[i].values.length;
    values[i] = axes[i].values[rest % n];
    rest = Math.floor(rest / n);
  }
  return values;
}

/** An issue raised by a cell's generated `--set` names the `--vary` token (or block entry) and the value instead. */
function renameSource(issue: Issue, tokens: readonly string[], axes: readonly Axis[], values: readonly Scalar[]): Issue {
  const i = tokens.findIndex((t) => issue.file === `--set ${t}`);
  return i < 0 ? issue : { ...issue, file: `${axes[i].source} (value ${String(values[i])})` };
}

/** A varied dataset file must exist (the base one was checked when loading). */
function checkDatasetFile(s: Scenario, base: Scenario, tokens: string[], axes: readonly Axis[], values: readonly Scalar[]): void {
  const f = s.workload.dataset.file;
  if (f === undefined || f === base.workload.dataset.file || existsSync(f)) return;
  const i = axes.findIndex((a) => a.path.startsWith('workload.dataset'));
  const issue = { file: `--set ${tokens[i] ?? ''}`, path: 'workload.dataset.file', message: `expected an existing file, found ${JSON.stringify(f)}` };
  throw new UserError([renameSource(issue, tokens, axes, values)]);
}

/** A scalar as YAML that reads back as the same value (`inf` stays a string, Infinity is `.inf`). */
export function scalarText(v: Scalar): string {
  return stringify(v, { lineWidth: 0 }).trimEnd();
}
