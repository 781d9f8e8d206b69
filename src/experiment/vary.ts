/**
 * The axes of a sweep: `--vary PATH=LIST` tokens and the scenario's
 * `sweep.vary` block. PATH is any scenario path `--set` accepts (aliases
 * too); LIST is comma-separated YAML scalars (`inf,15,10`), integer ranges
 * `a..b` and `a..b:step` (both ends included, counting down when a > b), or
 * a mix of them (`1..3,8`). A malformed list is a UserError naming the token
 * and the bad item.
 */
import { parseDocument } from 'yaml';
import { UserError, type Issue } from '../util/errors.ts';
import { nestingIssue, yamlMessage, yamlOptions, yamlValue } from '../util/nesting.ts';
import { checkPath, tryParseSet } from '../scenario/overrides.ts';
import { infinity } from '../scenario/validate.ts';

export type Scalar = number | string | boolean;

export interface Axis {
  /** Canonical dotted path, e.g. `diversifier.period`. */
  path: string;
  /** Values in the order written; no duplicates. */
  values: Scalar[];
  /** Where the axis came from, to name it in messages: `--vary period=inf,15` or `paper.yaml: sweep.vary.period`. */
  source: string;
}

/** More values than this on one axis is surely a typo (`1..1000000000`). */
export const maxAxisValues = 100_000;

/** Parses `PATH=LIST`. Throws UserError. */
export function parseVary(token: string): Axis {
  const r = tryParseVary(token);
  if ('message' in r) throw new UserError([r]);
  return r;
}

/** parseVary, with a malformed token as an Issue value. */
export function tryParseVary(token: string): Axis | Issue {
  const source = `--vary ${token}`;
  const eq = token.indexOf('=');
  if (eq <= 0) return { file: source, path: '', message: 'expected PATH=LIST, e.g. diversifier.period=inf,15,10 or replicas=1..6' };
  const path = checkVariedPath(token.slice(0, eq));
  if (typeof path !== 'string') return { file: source, path: '', message: path.message };
  const values = parseValueList(token.slice(eq + 1));
  if (typeof values === 'string') return { file: source, path, message: values };
  return { path, values, source };
}

/** The axes of a `sweep.vary` block (already schema-checked): lists as given, strings parsed like `--vary` lists. */
export function axesFromBlock(vary: Readonly<Record<string, readonly Scalar[] | string>> | undefined, file: string): Axis[] {
  const axes: Axis[] = [];
  const issues: Issue[] = [];
  for (const [key, spec] of Object.entries(vary ?? {})) {
    const where = { file, path: `sweep.vary.${key}` };
    const path = checkVariedPath(key);
    if (typeof path !== 'string') {
      issues.push({ ...where, message: path.message });
      continue;
    }
    const values = typeof spec === 'string' ? parseValueList(spec) : checkValues([...spec]);
    if (typeof values === 'string') issues.push({ ...where, message: values });
    else axes.push({ path, values, source: `${file}: sweep.vary.${key}` });
  }
  if (issues.length > 0) throw new UserError(issues);
  return axes;
}

/**
 * The block's axes, then the command line's; a `--vary` of a path the
 * block already varies replaces that axis's values in place. Varying one
 * path twice on the command line is an error naming the second token.
 */
export function mergeAxes(block: readonly Axis[], cli: readonly Axis[]): Axis[] {
  const axes = [...block];
  const fromCli = new Map<string, Axis>();
  for (const a of cli) {
    const earlier = fromCli.get(a.path);
    if (earlier) throw new UserError([{ file: a.source, path: a.path, message: `already varied by ${earlier.source}` }]);
    fromCli.set(a.path, a);
    const i = axes.findIndex((b) => b.path === a.path);
    if (i >= 0) axes[i] = a;
    else axes.push(a);
  }
  return axes;
}

function checkVariedPath(text: string): string | { message: string } {
  const c = checkPath(text.trim());
  if (!c.ok) return { message: c.message };
  if (c.path === 'sweep' || c.path.startsWith('sweep.')) return { message: 'a sweep cannot vary its own sweep block' };
  return c.path;
}

/** Values of a LIST, or a message naming the bad item. */
export function parseValueList(text: string): Scalar[] | string {
  if (text.trim() === '') return 'expected at least one value after =';
  const values: Scalar[] = [];
  const items = text.split(',');
  for (let i = 0; i < items.length; i++) {
    const item = items[i].trim();
    if (item === '') return `empty value at position ${i + 1} of '${text}'`;
    const parsed = /^[-+]?\d[\d.]*\.\./.test(item) ? parseRange(item) : parseScalar(item);
    if (typeof parsed === 'string') return parsed;
    values.push(...parsed);
    if (values.length > maxAxisValues) return `more than ${maxAxisValues} values`;
  }
  return checkValues(values);
}

function parseRange(item: string): Scalar[] | string {
  const m = /^([-+]?\d+)\.\.([-+]?\d+)(?::(\d+))?$/.exec(item);
  if (!m) return `bad range '${item}': expected a..b or a..b:step with integers, e.g. 1..6 or 0..30:5`;
  const [a, b, step] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  if (![a, b].every(Number.isSafeInteger)) return `bad range '${item}': the ends must be integers of at most 15 digits`;
  if (step < 1 || !Number.isSafeInteger(step)) return `bad range '${item}': the step must be a positive integer`;
  const count = Math.floor(Math.abs(b - a) / step) + 1;
  if (count > maxAxisValues) return `range '${item}' has ${count} values, more than ${maxAxisValues}`;
  const sign = b >= a ? 1 : -1;
  return Array.from({ length: count }, (_, k) => a + sign * k * step);
}

function parseScalar(item: string): Scalar[] | string {
  const doc = parseDocument(item, yamlOptions);
  if (doc.errors.length > 0) return `value '${item}' is not valid YAML: ${yamlMessage(doc.errors[0])}`;
  const deep = nestingIssue(doc);
  if (deep) return `value '${item}': ${deep.message}`;
  const js = yamlValue(doc, 10);
  if ('message' in js) return `value '${item}': ${js.message}`;
  const v = js.value;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return [v];
  if (v === null || v === undefined) return `value '${item}' is empty`;
  return `value '${item}' is a ${Array.isArray(v) ? 'list' : 'mapping'}; vary a field inside it instead (e.g. cluster.startup.mean)`;
}

/**
 * Every value once, compared by value: a repeated value would only repeat a
 * cell. `10`, `10.0` and `1e1` are one number; `inf`, `.inf` and `Infinity`
 * are one infinity (the schema reads them alike).
 */
function checkValues(values: Scalar[]): Scalar[] | string {
  if (values.length === 0) return 'expected at least one value';
  const seen = new Map<string, Scalar>();
  for (const v of values) {
    const key = sameValueKey(v);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const spelled = String(earlier) === String(v) ? '' : ` (as ${String(earlier)} and ${String(v)})`;
      return `value ${String(v)} appears twice${spelled}`;
    }
    seen.set(key, v);
  }
  return values;
}

function sameValueKey(v: Scalar): string {
  if (v === Infinity || (typeof v === 'string' && infinity.test(v))) return 'number:Infinity';
  return `${typeof v}:${String(v)}`;
}

/**
 * A `--set` of a path a sweep varies would be overwritten in every cell
 * without a word: refused, naming both. (`--vary` replaces an axis of the
 * file's sweep block; `--set` never does.)
 */
export function checkSetsAgainstAxes(sets: readonly string[], axes: readonly Axis[]): void {
  const issues: Issue[] = [];
  for (const token of sets) {
    const r = tryParseSet(token);
    if ('message' in r) continue;
    const axis = axes.find((a) => a.path === r.path || a.path.startsWith(`${r.path}.`) || r.path.startsWith(`${a.path}.`));
    if (axis) issues.push({ file: r.source, path: axis.path, message: `this path is varied by ${axis.source}; a --set would be overwritten in every cell (to run one value, give it with --vary instead)` });
  }
  if (issues.length > 0) throw new UserError(issues);
}
