/**
 * `--set path=value` overrides, applied to the parsed document before
 * validation so that they get the same checks as the file. Sweeps (`--vary`)
 * reuse the path functions.
 */
import { parseDocument } from 'yaml';
import { nestingIssue, nestsTooDeep, tooDeep, yamlMessage, yamlOptions, yamlValue } from '../util/nesting.ts';
import { Scenario, pathAliases } from '../schema/schema.ts';
import { didYouMean, formatPath, UserError, type Issue } from '../util/errors.ts';
import { asJson, isPlainObject, put, type JsonSchema, type Segment } from './validate.ts';

export interface SetOverride {
  /** Canonical dotted path (aliases resolved), e.g. `diversifier.period`. */
  path: string;
  value: unknown;
  /** The token as the user wrote it, to name it in messages: `--set period=inf`. */
  source: string;
}

const root = asJson(Scenario);

/** `period` -> `diversifier.period`; other paths unchanged. `a[0].b` is written `a.0.b`. */
export function resolveAlias(path: string): string {
  const dotted = path.trim().replace(/\[(\d+)\]/g, '.$1');
  return Object.hasOwn(pathAliases, dotted) ? pathAliases[dotted] : dotted;
}

/** Parses `path=value`; the value is YAML (`inf`, `5`, `true`, `[1,2]`, `{dist: uniform, min: 1, max: 2}`). Throws UserError. */
export function parseSet(token: string): SetOverride {
  const r = tryParseSet(token);
  if ('message' in r) throw new UserError([r]);
  return r;
}

/**
 * A set token for a command-line flag that sets a scenario field (`--reps 3`
 * is `reps=3`): messages name the flag as typed, not a `--set` the user
 * never wrote. NUL separates them, as no command-line argument holds one.
 */
export function flagSet(flag: string, path: string, value: string | number): string {
  return `${flag} ${value}\0${path}=${value}`;
}

/** parseSet, with a malformed token as an Issue value. */
export function tryParseSet(token: string): SetOverride | Issue {
  const nul = token.indexOf('\0');
  const source = nul < 0 ? `--set ${token}` : token.slice(0, nul);
  token = token.slice(nul + 1);
  const eq = token.indexOf('=');
  if (eq <= 0) return { file: source, path: '', message: 'expected path=value, e.g. cluster.replicas=5' };
  const path = resolveAlias(token.slice(0, eq));
  const doc = parseDocument(token.slice(eq + 1), yamlOptions);
  if (doc.errors.length > 0) return { file: source, path, message: `the value is not valid YAML: ${yamlMessage(doc.errors[0])}` };
  const issue = nestingIssue(doc);
  if (issue) return { file: source, path, message: `the value: ${issue.message}` };
  const js = yamlValue(doc, 100);
  if ('message' in js) return { file: source, path, message: `the value: ${js.message}` };
  const value = js.value;
  if (nestsTooDeep(value)) return { file: source, path, message: `the value: ${tooDeep}` };
  return { path, value, source };
}

export type PathCheck =
  | { ok: true; path: string; segments: Segment[]; schema: JsonSchema }
  | { ok: false; message: string };

/** Whether a dotted path (alias allowed) names a setting of the scenario schema, with a suggestion if not. */
export function checkPath(path: string): PathCheck {
  const canonical = resolveAlias(path);
  const parts = canonical.split('.');
  const segments: Segment[] = [];
  let s: JsonSchema = root;
  for (const part of parts) {
    const step = child(s, part);
    if (!step) return { ok: false, message: unknownPath(canonical, segments, part, s) };
    segments.push(step.segment);
    s = step.schema;
  }
  return { ok: true, path: canonical, segments, schema: s };
}

/** The schema of `part` under `s`: a property, a record entry, a list item or a field of a union branch. */
function child(s: JsonSchema, part: string): { segment: Segment; schema: JsonSchema } | undefined {
  if (part === '') return undefined;
  if (s.properties && Object.hasOwn(s.properties, part)) return { segment: part, schema: s.properties[part] };
  for (const [pattern, schema] of Object.entries(s.patternProperties ?? {})) {
    if (new RegExp(pattern).test(part)) return { segment: part, schema };
  }
  if (s.type === 'array' && s.items && /^\d+$/.test(part)) return { segment: Number(part), schema: s.items };
  for (const b of s.anyOf ?? []) {
    const c = b.type === 'object' ? child(b, part) : undefined;
    if (c) return c;
  }
  return undefined;
}

function unknownPath(path: string, okSegments: Segment[], part: string, s: JsonSchema): string {
  const prefix = formatPath(okSegments);
  const here = [...Object.keys(s.properties ?? {}), ...(s.anyOf ?? []).flatMap((b) => Object.keys(b.properties ?? {}))];
  const local = didYouMean(part, here);
  let guess = local !== undefined ? (prefix ? `${prefix}.${local}` : local) : undefined;
  if (guess === undefined && okSegments.length === 0) guess = didYouMean(part, Object.keys(pathAliases)) ?? elsewhere(part);
  const where = prefix ? ` (no ${JSON.stringify(part)} under ${prefix})` : '';
  return `unknown setting ${JSON.stringify(path)}${where}${guess ? `; did you mean ${guess}?` : ''}`;
}

/** The first setting path whose last segment is close to `key` (`grace` -> `cluster.grace`). */
export function elsewhere(key: string): string | undefined {
  return settingPaths().find((p) => didYouMean(key, [p.slice(p.lastIndexOf('.') + 1)]));
}

/** Every dotted path of a named setting, in schema order (not through lists, maps of services or distributions). */
export function settingPaths(s: JsonSchema = root, prefix = ''): string[] {
  return Object.entries(s.properties ?? {}).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return v.type === 'object' && v.properties ? settingPaths(v, p) : [p];
  });
}

/**
 * Sets `value` at a dotted path (alias allowed) of a parsed document. A
 * missing or mistyped intermediate becomes a copy of that setting's default
 * when it has one (so `services.users.replicas=5` keeps projects and tasks,
 * `cluster.startup.mean=4` keeps the default's dist and sd), else `{}`.
 */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = resolveAlias(path).split('.');
  let node: Record<string, unknown> | unknown[] = doc;
  let s: JsonSchema | undefined = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const key = Array.isArray(node) ? Number(part) : part;
    if (Array.isArray(node) && !Number.isInteger(key)) throw new Error(`setPath: ${part} is not an index in ${path}`);
    s = s && child(s, part)?.schema;
    const slot = node as Record<string | number, unknown>;
    if (i === parts.length - 1) {
      put(slot, key, value);
      return;
    }
    const wantList = s?.type === 'array';
    const next = slot[key];
    if (wantList ? !Array.isArray(next) : !isPlainObject(next)) {
      const def = s?.default;
      put(slot, key, (wantList ? Array.isArray(def) : isPlainObject(def)) ? structuredClone(def) : wantList ? [] : {});
    } else {
      // Copy on write: a YAML alias makes two places share one object, and only this one changes.
      put(slot, key, Array.isArray(next) ? [...next] : { ...(next as Record<string, unknown>) });
    }
    node = slot[key] as Record<string, unknown> | unknown[];
  }
}

/** Applies overrides in order (a later one wins); a path not in the schema is an issue and is skipped. */
export function applyOverrides(doc: Record<string, unknown>, overrides: readonly SetOverride[]): Issue[] {
  const issues: Issue[] = [];
  for (const o of overrides) {
    const c = checkPath(o.path);
    if (!c.ok) issues.push({ file: o.source, path: '', message: c.message });
    else setPath(doc, c.path, structuredClone(o.value));
  }
  return issues;
}
