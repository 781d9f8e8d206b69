/**
 * The simulation behind `sim calibrate`: `--fit` tokens, live values as
 * targets, and the function from parameter values to the simulated
 * statistics of every target. Each evaluation runs the replications 0..N-1
 * of every cell the live values need (their period and replica count), so
 * every evaluation sees the same random streams (common random numbers).
 */
import type { LiveValue } from '../metrics/live-value.ts';
import { meanAcrossCells } from '../metrics/aggregate.ts';
import { metricNames } from '../metrics/names.ts';
import { summarize, tQuantile } from '../metrics/summary.ts';
import { UserError, type Issue } from '../scenario/errors.ts';
import { parseScenario, readScenarioText } from '../scenario/load.ts';
import { checkPath } from '../scenario/overrides.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { JsonSchema } from '../scenario/validate.ts';
import type { Dataset } from '../workload/dataset.ts';
import type { FitParam, SimStat, Target } from './calibrate.ts';
import { clean } from './grid-search.ts';
import { loadDataset, runCell } from './run.ts';

/** `path=low..high`: a numeric scenario path and its search range. */
export function parseFit(token: string): FitParam | Issue {
  const source = `--fit ${token}`;
  const eq = token.indexOf('=');
  const range = token.slice(eq + 1).split('..');
  if (eq <= 0 || range.length !== 2) return { file: source, path: '', message: 'expected PATH=LOW..HIGH, e.g. noise.errorRate=0..0.02' };
  const m = [token, token.slice(0, eq), range[0].trim(), range[1].trim()];
  const c = checkPath(m[1].trim());
  if (!c.ok) return { file: source, path: '', message: c.message };
  const kind = numberKind(c.schema);
  if (!kind) return { file: source, path: c.path, message: 'expected a numeric setting (a distribution is fitted through one of its fields, e.g. cluster.endpointSliceDelay.max)' };
  const low = m[2] === '' ? NaN : Number(m[2]);
  const high = m[3] === '' ? NaN : Number(m[3]);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) return { file: source, path: c.path, message: `expected LOW < HIGH, found ${m[2]}..${m[3]}` };
  if (kind === 'integer' && !(Number.isInteger(low) && Number.isInteger(high))) return { file: source, path: c.path, message: 'expected integer bounds for an integer setting' };
  return { path: c.path, low, high, integer: kind === 'integer' };
}

function numberKind(s: JsonSchema): 'number' | 'integer' | undefined {
  if (s.type === 'integer' || s.type === 'number') return s.type;
  const branch = s.anyOf?.find((b) => b.type === 'number' || b.type === 'integer');
  return branch?.type as 'number' | 'integer' | undefined;
}


/** Targets from live values: the scenario's replicas when a value has none; the standard error from a CI when given. */
export function targetsFromLive(live: readonly LiveValue[], scenario: Scenario, notes: string[]): Target[] {
  const known = new Set(metricNames(Object.keys(scenario.services)));
  const out: Target[] = [];
  for (const r of live) {
    if (!known.has(r.metric)) {
      notes.push(`line ${r.line}: ${r.metric} is not a metric of this scenario; left out`);
      continue;
    }
    const n = r.n ?? 1;
    const t: Target = { metric: r.metric, period: r.period, replicas: r.replicas ?? scenario.cluster.replicas, value: r.value, n, source: r.source, line: r.line };
    if (r.ci_low !== undefined && r.ci_high !== undefined && r.ci_high > r.ci_low) {
      t.se = (r.ci_high - r.ci_low) / (2 * (n >= 2 ? tQuantile(0.975, n - 1) : 1.959963984540054));
    }
    out.push(t);
  }
  return out;
}

export interface SimSetup {
  /** The scenario file and the `--set` tokens applied to it. */
  file: string;
  sets: readonly string[];
  params: readonly FitParam[];
  targets: readonly Target[];
  /** Periods a target with period `all` averages over. */
  allPeriods: readonly string[];
  reps: number;
}

interface CellKey {
  period: string;
  replicas: number;
}

/** The cells the targets need, in first-use order. */
export function cellsOf(targets: readonly Target[], allPeriods: readonly string[]): CellKey[] {
  const out: CellKey[] = [];
  const add = (period: string, replicas: number) => {
    if (!out.some((c) => c.period === period && c.replicas === replicas)) out.push({ period, replicas });
  };
  for (const t of targets) for (const p of t.period === 'all' ? allPeriods : [t.period]) add(p, t.replicas);
  return out;
}

/** `--set` tokens of parameter values (grid values are already clean decimals). */
export function valueTokens(params: readonly FitParam[], values: readonly number[]): string[] {
  return params.map((p, i) => `${p.path}=${clean(p, values[i])}`);
}

/** The scenario at these parameter values (and cell, if given), validated like `--set`. Throws UserError. */
export function scenarioAt(setup: SimSetup, text: string, values: readonly number[], cell?: CellKey): Scenario {
  const tokens = [...setup.sets, ...valueTokens(setup.params, values)];
  if (cell) tokens.push(`diversifier.period=${cell.period}`, `cluster.replicas=${cell.replicas}`);
  const s = parseScenario(text, setup.file, tokens);
  delete s.sweep;
  return s;
}

/** The function calibrate() searches over: parameter values -> statistics of each target. */
export function simulator(setup: SimSetup): (values: readonly number[]) => SimStat[] {
  const text = readScenarioText(setup.file);
  const cells = cellsOf(setup.targets, setup.allPeriods);
  const datasets = new Map<string, Dataset>();
  return (values) => {
    const perCell = cells.map((cell) => {
      const s = scenarioAt(setup, text, values, cell);
      const key = JSON.stringify(s.workload.dataset);
      if (!datasets.has(key)) datasets.set(key, loadDataset(s));
      const names = metricNames(Object.keys(s.services));
      const results = runCell(s, datasets.get(key)!, setup.reps);
      return (metric: string) => results.map((r) => r.metrics[names.indexOf(metric)]);
    });
    const at = (period: string, replicas: number) => cells.findIndex((c) => c.period === period && c.replicas === replicas);
    return setup.targets.map((t) => {
      const values = t.period === 'all'
        ? meanAcrossCells(setup.allPeriods.map((p) => perCell[at(p, t.replicas)](t.metric)))
        : perCell[at(t.period, t.replicas)](t.metric);
      const s = summarize(values);
      return { mean: s.mean, sd: s.sd, n: s.n };
    });
  };
}

/**
 * Checks the search box before any simulation: the scenario must be valid at
 * every corner of it, in every cell. Issues name the `--fit` token.
 */
export function checkCorners(setup: SimSetup, text: string): void {
  const corners = setup.params.reduce<number[][]>((acc, p) => acc.flatMap((c) => [[...c, p.low], [...c, p.high]]), [[]]);
  const issues = new Map<string, Issue>();
  for (const x of corners) {
    for (const cell of cellsOf(setup.targets, setup.allPeriods)) {
      try {
        scenarioAt(setup, text, x, cell);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        for (const i of e.issues) {
          const k = setup.params.findIndex((p, j) => i.file === `--set ${valueTokens([p], [x[j]])[0]}`);
          const issue = k >= 0 ? { ...i, file: `--fit ${setup.params[k].path}=${setup.params[k].low}..${setup.params[k].high} (at ${x[k]})` } : i;
          issues.set(`${issue.file}|${issue.path}|${issue.message}`, issue);
        }
      }
    }
  }
  if (issues.size > 0) throw new UserError([...issues.values()]);
}
