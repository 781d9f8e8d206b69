/**
 * The simulation behind `sim calibrate`: `--fit` tokens, live values as
 * targets, and the function from parameter values to the simulated
 * statistics of every target. Each evaluation runs the replications 0..N-1
 * of every cell the live values need (their period and replica count), so
 * every evaluation sees the same random streams (common random numbers).
 */
import type { LiveValue } from '../metrics/live-value.ts';
import { meanAcrossCells } from '../metrics/aggregate.ts';
import { counting } from '../metrics/denominators.ts';
import { metricNames } from '../schema/metric-names.ts';
import { summarize, tQuantile } from '../metrics/summary.ts';
import { UserError, type Issue } from '../util/errors.ts';
import { parseScenario, readScenarioText } from '../scenario/load.ts';
import { checkPath } from '../scenario/overrides.ts';
import type { Scenario } from '../schema/schema.ts';
import type { JsonSchema } from '../scenario/validate.ts';
import type { Dataset } from '../dataset/dataset.ts';
import type { FitParam, SimStat, Target } from './calibrate.ts';
import { clean } from './grid-search.ts';
import { loadDataset, runCell } from './run.ts';

/**
 * `path=low..high` (a numeric scenario path and its search range; an
 * integer setting stays integer) or `path=a,b,c` (the values to try, e.g.
 * ingress.policy=round-robin,random or cluster.readiness=none,probe).
 */
export function parseFit(token: string): FitParam | Issue {
  const source = `--fit ${token}`;
  const eq = token.indexOf('=');
  if (eq <= 0) return { file: source, path: '', message: 'expected PATH=LOW..HIGH or PATH=A,B,..., e.g. noise.errorRate=0..0.02 or ingress.policy=round-robin,random' };
  const c = checkPath(token.slice(0, eq).trim());
  if (!c.ok) return { file: source, path: '', message: c.message };
  const spec = token.slice(eq + 1);
  const allowed = choicesOf(c.schema);
  if (spec.includes(',') || (allowed && !spec.includes('..'))) {
    const choices = spec.split(',').map((v) => v.trim());
    if (choices.length < 2 || choices.some((v) => v === '')) return { file: source, path: c.path, message: `expected at least two comma-separated values, found ${JSON.stringify(spec)}` };
    const bad = allowed ? choices.filter((v) => !allowed.includes(v)) : [];
    if (bad.length > 0) return { file: source, path: c.path, message: `expected values among ${allowed!.join(', ')}, found ${bad.join(', ')}` };
    if (new Set(choices).size < choices.length) return { file: source, path: c.path, message: 'a value is listed twice' };
    return { path: c.path, low: 0, high: choices.length - 1, integer: true, choices };
  }
  const range = spec.split('..');
  if (range.length !== 2) return { file: source, path: c.path, message: 'expected LOW..HIGH, e.g. noise.errorRate=0..0.02' };
  const kind = numberKind(c.schema);
  if (!kind) {
    const hint = allowed ? `; list the values to try, e.g. ${c.path}=${allowed.join(',')}` : ' (a distribution is fitted through one of its fields, e.g. cluster.endpointSliceDelay.max)';
    return { file: source, path: c.path, message: `expected a numeric setting for a range${hint}` };
  }
  const [lowText, highText] = range.map((r) => r.trim());
  const low = lowText === '' ? NaN : Number(lowText);
  const high = highText === '' ? NaN : Number(highText);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) return { file: source, path: c.path, message: `expected LOW < HIGH, found ${lowText}..${highText}` };
  if (kind === 'integer' && !(Number.isInteger(low) && Number.isInteger(high))) return { file: source, path: c.path, message: 'expected integer bounds for an integer setting' };
  return { path: c.path, low, high, integer: kind === 'integer' };
}

function numberKind(s: JsonSchema): 'number' | 'integer' | undefined {
  if (s.type === 'integer' || s.type === 'number') return s.type;
  const branch = s.anyOf?.find((b) => b.type === 'number' || b.type === 'integer');
  return branch?.type as 'number' | 'integer' | undefined;
}

/** The values of a setting that takes one of a few strings (ingress.policy), else undefined. */
function choicesOf(s: JsonSchema): string[] | undefined {
  const values = s.anyOf?.map((b) => b.const);
  return values && values.length > 0 && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

/** The combinations of the discrete parameters' values a fit searches one by one: at most this many. */
export const maxCombinations = 64;

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
    if (r.denominator !== undefined) t.denominator = r.denominator;
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

/** `--set` tokens of parameter values (grid values are already clean decimals; a choice by its name). */
export function valueTokens(params: readonly FitParam[], values: readonly number[]): string[] {
  return params.map((p, i) => `${p.path}=${valueText(p, values[i])}`);
}

/** A parameter's value as written in a scenario: a choice's name, else the clean number. */
export function valueText(p: FitParam, value: number): string {
  return p.choices ? p.choices[value] : String(clean(p, value));
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
    /** A rate's mean count per run in a cell (what it is a fraction of). */
    const trialsIn = (cell: number, metric: string) => {
      const c = counting(metric);
      if (c.kind !== 'rate') return NaN;
      const per = c.of.map((m) => perCell[cell](m));
      return mean(per[0].map((_, r) => per.reduce((a, xs) => a + xs[r], 0)));
    };
    return setup.targets.map((t) => {
      const periods = t.period === 'all' ? setup.allPeriods : [t.period];
      const values = t.period === 'all'
        ? meanAcrossCells(periods.map((p) => perCell[at(p, t.replicas)](t.metric)))
        : perCell[at(t.period, t.replicas)](t.metric);
      const s = summarize(values);
      // Over every period, one live value counts the trials of all of them.
      const trials = periods.reduce((a, p) => a + trialsIn(at(p, t.replicas), t.metric), 0);
      return { mean: s.mean, sd: s.sd, n: s.n, trials };
    });
  };
}

/**
 * Checks the search box before any simulation: the scenario must be valid at
 * every corner of it, in every cell. Issues name the `--fit` token.
 */
export function checkCorners(setup: SimSetup, text: string): void {
  // Every value of a discrete parameter, both ends of a continuous one.
  const values = (p: FitParam) => (p.integer ? Array.from({ length: p.high - p.low + 1 }, (_, k) => p.low + k) : [p.low, p.high]);
  const corners = setup.params.reduce<number[][]>((acc, p) => acc.flatMap((c) => values(p).map((v) => [...c, v])), [[]]);
  const issues = new Map<string, Issue>();
  for (const x of corners) {
    for (const cell of cellsOf(setup.targets, setup.allPeriods)) {
      try {
        scenarioAt(setup, text, x, cell);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        for (const i of e.issues) {
          const k = setup.params.findIndex((p, j) => i.file === `--set ${valueTokens([p], [x[j]])[0]}`);
          const issue = k >= 0 ? { ...i, file: `--fit ${fitText(setup.params[k])} (at ${valueText(setup.params[k], x[k])})` } : i;
          issues.set(`${issue.file}|${issue.path}|${issue.message}`, issue);
        }
      }
    }
  }
  if (issues.size > 0) throw new UserError([...issues.values()]);
}

/** A parameter as its --fit token: path=low..high or path=a,b,c. */
export function fitText(p: FitParam): string {
  return `${p.path}=${p.choices ? p.choices.join(',') : `${p.low}..${p.high}`}`;
}

function mean(xs: readonly number[]): number {
  const ok = xs.filter((x) => !Number.isNaN(x));
  return ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}
