/**
 * The recommendation that report.html and the console open with, computed
 * from summary.csv (README "Choosing the period"): per attacker, the
 * cheapest swept setting whose risk -- the upper 95 % (Wilson) bound of
 * P(compromise within the horizon) -- is at most --max-risk and whose cost --
 * the mean failed-insert rate -- is at most --max-failure; or, when none
 * is, the setting with the lowest risk; and whether rotation raises or
 * lowers the risk against that attacker (P = inf against the shortest period,
 * when their intervals do not overlap).
 */
import { parse as parseYaml } from 'yaml';
import { readOutput, stat, type Cell, type OutputData } from '../store/output-data.ts';
import { defaultThresholds, pct, type Thresholds } from './thresholds.ts';
import { periodOrder } from './plots/theme.ts';

export const costMetric = 'insert_failure_rate';

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface CellChoice {
  cell: Cell;
  /** `P = 3 s, R = 3` and any other varied setting. */
  setting: string;
  /** What the other varied settings are (groups cells for "with ... no period reaches it"). */
  group: string;
  cost: Interval;
  risk: Interval;
}

export interface AttackerDecision {
  name: string;
  kind: string;
  horizon: number;
  cells: CellChoice[];
  pick: CellChoice | null;
  lines: string[];
}

/** Attackers with cell estimates in the outputs, with their kinds from the resolved scenario. */
export function attackersOf(data: OutputData, kinds = resolvedKinds(data)): { name: string; kind: string }[] {
  const names = new Set<string>();
  for (const m of data.stats.get(data.cells[0]?.cell ?? 0)?.keys() ?? []) {
    const hit = /^attack_(.+)_p_compromise$/.exec(m);
    if (hit) names.add(hit[1]);
  }
  return [...names].map((name) => ({ name, kind: kinds.get(name) ?? name }));
}

/** name -> kind of every attacker of the resolved scenario (pseudo included). */
export function resolvedKinds(data: OutputData): Map<string, string> {
  const out = new Map<string, string>();
  let doc: unknown;
  try {
    doc = data.resolved ? parseYaml(data.resolved.text) : undefined;
  } catch {
    return out;
  }
  const list = (doc as { attack?: unknown } | undefined)?.attack;
  if (!Array.isArray(list)) return out;
  for (const a of list as { kind?: unknown; name?: unknown }[]) {
    if (typeof a?.kind !== 'string') continue;
    out.set(typeof a.name === 'string' ? a.name : a.kind, a.kind);
  }
  return out;
}

const interval = (data: OutputData, cell: number, metric: string): Interval => {
  const s = stat(data, cell, metric);
  return { value: s?.mean ?? NaN, low: s?.ci_low ?? NaN, high: s?.ci_high ?? NaN };
};

export function settingOf(data: OutputData, c: Cell): { setting: string; group: string } {
  const group = data.varied.map((p) => `${p} = ${c.vary[p]}`).join(', ');
  const p = c.period === 'inf' ? 'P = inf (no rotation)' : `P = ${c.period} s`;
  return { setting: [p, `R = ${c.replicas}`, ...(group ? [group] : [])].join(', '), group };
}

const withCi = (i: Interval) => `${pct(i.value)} [${pct(i.low)}, ${pct(i.high)}]`;

/** Cheaper first: lower cost, then fewer rotations (a longer period), then fewer replicas. */
function cheaper(a: CellChoice, b: CellChoice): number {
  const cost = (c: CellChoice) => (Number.isFinite(c.cost.value) ? c.cost.value : 0);
  const period = (c: CellChoice) => (c.cell.period === 'inf' ? Infinity : Number(c.cell.period));
  return cost(a) - cost(b) || period(b) - period(a) || a.cell.replicas - b.cell.replicas || a.cell.cell - b.cell.cell;
}

export function feasible(c: CellChoice, t: Thresholds): boolean {
  return c.risk.high <= t.maxRisk && (!Number.isFinite(c.cost.value) || c.cost.value <= t.maxFailure);
}

function hours(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'the horizon';
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;
}

export function decide(data: OutputData, name: string, kind: string, t: Thresholds): AttackerDecision {
  const cells: CellChoice[] = data.cells.map((c) => ({
    cell: c, ...settingOf(data, c), cost: interval(data, c.cell, costMetric), risk: interval(data, c.cell, `attack_${name}_p_compromise`),
  })).filter((c) => Number.isFinite(c.risk.value));
  const horizon = stat(data, data.cells[0]?.cell ?? 0, `attack_${name}_horizon`)?.mean ?? NaN;
  const what = `P(${kind === 'lateral' ? 'chain ' : ''}compromised within ${hours(horizon)})`;
  const limits = `${what} <= ${pct(t.maxRisk)} (upper 95 % bound) and failed inserts <= ${pct(t.maxFailure)}`;
  const costText = (c: CellChoice) => (Number.isFinite(c.cost.value) ? `, costing ${withCi(c.cost)} failed inserts` : ' (no workload: cost not measured)');
  const ok = cells.filter((c) => feasible(c, t)).sort(cheaper);
  const pick = ok[0] ?? null;
  const lines: string[] = [];
  if (cells.length === 1) {
    // A single run is not a choice: say where it stands against the thresholds.
    const c = cells[0];
    const verdict = pick ? 'within' : 'outside';
    lines.push(`against ${name} at ${c.setting}: ${what} ${withCi(c.risk)}${costText(c)}: ${verdict} ${limits} (sweep P to choose)`);
  } else if (pick) lines.push(`against ${name}: the cheapest setting with ${limits} is ${pick.setting}: ${what} ${withCi(pick.risk)}${costText(pick)}`);
  else if (cells.length > 0) {
    const lowest = [...cells].sort((a, b) => a.risk.value - b.risk.value || cheaper(a, b))[0];
    lines.push(`against ${name}: no swept setting reaches ${limits}; the lowest risk is ${withCi(lowest.risk)} at ${lowest.setting}${costText(lowest)}`);
  }
  // "with pods that ignore SIGTERM no period reaches it": per value of the other varied settings.
  const groups = [...new Set(cells.map((c) => c.group))].filter((g) => g !== '');
  if (groups.length > 1) {
    for (const g of groups) {
      const best = ok.find((c) => c.group === g);
      lines.push(best ? `  with ${g}: ${best.setting}${costText(best)}` : `  with ${g}: no swept setting reaches it`);
    }
  }
  lines.push(...rotationEffect(cells, what));
  return { name, kind, horizon, cells, pick, lines };
}

/** P = inf against the shortest period, per replica count and group, when their intervals do not overlap. */
function rotationEffect(cells: readonly CellChoice[], what: string): string[] {
  const out: string[] = [];
  const keys = [...new Set(cells.map((c) => `${c.cell.replicas}|${c.group}`))];
  for (const key of keys.slice(0, 6)) {
    const same = cells.filter((c) => `${c.cell.replicas}|${c.group}` === key);
    const none = same.find((c) => c.cell.period === 'inf');
    const periods = periodOrder(same.map((c) => c.cell.period)).filter((p) => p !== 'inf');
    const fastest = same.find((c) => c.cell.period === periods[periods.length - 1]);
    if (!none || !fastest) continue;
    const at = `R = ${none.cell.replicas}${none.group ? `, ${none.group}` : ''}`;
    const change = `${what} from ${pct(none.risk.value)} without rotation to ${pct(fastest.risk.value)} at P = ${fastest.cell.period} s (${at})`;
    if (fastest.risk.low > none.risk.high) out.push(`  rotation raises ${change}: against this attacker rotation hurts`);
    else if (fastest.risk.high < none.risk.low) out.push(`  rotation lowers ${change}`);
  }
  return out;
}

/** The pseudo-attack: what rotation changes is the bad day (the p95 of the per-run share), not the mean. */
function pseudoLines(data: OutputData): string[] {
  const metric = 'task_malicious_share';
  const cells = data.cells.filter((c) => Number.isFinite(stat(data, c.cell, metric)?.p95 ?? NaN));
  if (cells.length === 0) return [];
  const periods = periodOrder(cells.map((c) => c.period));
  const at = (p: string) => cells.find((c) => c.period === p)!;
  const [first, last] = [at(periods[0]), at(periods[periods.length - 1])];
  const s = (c: Cell) => stat(data, c.cell, metric)!;
  const label = (c: Cell) => (c.period === 'inf' ? 'without rotation' : `at P = ${c.period} s`);
  if (first === last) return [`against pseudo (the dataset's malicious records): the p95 of the per-run malicious share of inserted tasks is ${pct(s(first).p95)} (mean ${pct(s(first).mean)})`];
  return [
    `against pseudo (the dataset's malicious records): the p95 of the per-run malicious share of inserted tasks goes from ${pct(s(first).p95)} ${label(first)} to ${pct(s(last).p95)} ${label(last)}, ` +
      `while its mean stays ${pct(s(first).mean)} / ${pct(s(last).mean)}: rotation makes a bad day rarer, not the attack weaker`,
  ];
}

export interface Recommendation {
  thresholds: Thresholds;
  decisions: AttackerDecision[];
  lines: string[];
}

export function recommend(data: OutputData, t: Thresholds = defaultThresholds): Recommendation {
  const kinds = resolvedKinds(data); // parsed once: the resolved YAML is the slowest part of a small run's recommendation
  const decisions = attackersOf(data, kinds).map((a) => decide(data, a.name, a.kind, t));
  const pseudo = [...kinds.values()].includes('pseudo') ? pseudoLines(data) : [];
  const body = [...decisions.flatMap((d) => d.lines), ...pseudo];
  if (body.length === 0) return { thresholds: t, decisions, lines: [] };
  const head = `Recommendation (--max-risk ${pct(t.maxRisk)}, --max-failure ${pct(t.maxFailure)}; risk: the upper 95 % bound of P(compromise within the horizon); cost: mean failed inserts):`;
  return { thresholds: t, decisions, lines: [head, ...body] };
}

/** The recommendation's lines for an output folder (none when it has no attacker); it reads the cell statistics only. */
export async function recommendationLines(out: string, t: Thresholds): Promise<string[]> {
  return recommend(await readOutput(out, { perRun: false }), t).lines;
}
