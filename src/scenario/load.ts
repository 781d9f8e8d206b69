/**
 * Loading a scenario file: YAML with positions, `--set` overrides, validation
 * with defaults, cross-field checks. Every issue is reported at once, at the
 * line and column of the offending node (or of its parent when it is
 * missing), or naming the override it came from.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { Scenario } from '../schema/schema.ts';
import { formatPath, sortIssues, UserError, type Issue } from '../util/errors.ts';
import { applyOverrides, elsewhere, tryParseSet, type SetOverride } from './overrides.ts';
import { crossChecks } from './checks.ts';
import { isPlainObject, validate, type PathIssue, type Segment } from './validate.ts';
import { readDatasetFile } from '../dataset/dataset-file.ts';
import { readTextFile, tooBig } from '../util/text-file.ts';
import { nestingIssue, nestsTooDeep, tooDeep, yamlMessage, yamlOptions, yamlValue } from '../util/nesting.ts';

/** Larger scenario files are refused: scenarios are hand-written. */
export const maxScenarioBytes = 1 << 20;
/** Alias expansions allowed while building the document; a "billion laughs" file stops here. */
export const maxAliasCount = 1000;

/**
 * Reads, overrides, validates and fills a scenario file; the dataset file,
 * if any, must exist and be valid (it is read again by the workload). Throws UserError.
 */
export function loadScenario(file: string, sets: readonly string[] = []): Scenario {
  return parse(readScenarioText(file), file, sets, true);
}

/** The text of a scenario file: UTF-8, at most maxScenarioBytes. Throws UserError. */
export function readScenarioText(file: string): string {
  return readTextFile(file, 'the scenario file', maxScenarioBytes);
}

/**
 * Parses scenario text. `file` names it in messages and anchors a relative
 * `workload.dataset.file` (resolved against the file's directory). Throws UserError.
 */
export function parseScenario(text: string, file: string, sets: readonly string[] = []): Scenario {
  return parse(text, file, sets, false);
}

/** parseScenario; with `checkFiles`, the dataset file must exist and be a valid dataset. */
function parse(text: string, file: string, sets: readonly string[], checkFiles: boolean): Scenario {
  if (text.length > maxScenarioBytes) throw new UserError([{ file, path: '', message: tooBig(maxScenarioBytes, text.length) }]);
  text = text.replace(/^\uFEFF/, '');
  const nul = text.indexOf('\0');
  const lines = new LineCounter();
  const doc = parseDocument(text.slice(0, nul < 0 ? undefined : nul), { ...yamlOptions, lineCounter: lines, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (nul >= 0) throw new UserError([{ file, ...at(nul), path: '', message: 'expected UTF-8 text, found binary data (byte 0x00)' }]);
  if (doc.errors.length > 0) throw new UserError(doc.errors.map((e) => ({ file, ...at(e.pos[0]), path: '', message: yamlMessage(e) })));
  const deep = nestingIssue(doc);
  if (deep) throw new UserError([{ file, ...at(deep.offset), path: '', message: deep.message }]);
  const js = yamlValue(doc, maxAliasCount);
  if ('message' in js) throw new UserError([{ file, ...at(js.offset), path: '', message: js.message }]);
  let raw = js.value;
  if (nestsTooDeep(raw)) throw new UserError([{ file, line: 1, column: 1, path: '', message: `${tooDeep}, once aliases are expanded` }]);
  if (raw === null || raw === undefined) raw = {};
  if (!isPlainObject(raw)) {
    throw new UserError([{ file, line: 1, column: 1, path: '', message: `expected a mapping of settings at the top level, found ${Array.isArray(raw) ? 'a list' : 'a scalar'}` }]);
  }
  const issues: Issue[] = [];
  const overrides: SetOverride[] = [];
  for (const token of sets) {
    const r = tryParseSet(token);
    if ('message' in r) issues.push(r);
    else overrides.push(r);
  }
  // The file as written is checked too: a flag that overrides a bad value must not hide it.
  if (overrides.length > 0) issues.push(...asWrittenIssues(text, raw).map((pi) => place(pi, [], doc, at, file)));
  issues.push(...applyOverrides(raw, overrides));
  const { value, issues: found } = validate(Scenario, raw, elsewhere);
  for (const pi of [...found, ...crossChecks(value)]) issues.push(place(pi, overrides, doc, at, file));
  if (issues.length > 0) throw new UserError(sortIssues(unique(issues)));
  const scenario = value as Scenario;
  const dataset = scenario.workload.dataset;
  if (dataset.file !== undefined && !isAbsolute(dataset.file)) dataset.file = join(dirname(file), dataset.file);
  if (checkFiles && dataset.file !== undefined) {
    if (!existsSync(dataset.file)) {
      const pi = { path: ['workload', 'dataset', 'file'], message: `expected an existing file, found ${JSON.stringify(dataset.file)}` };
      throw new UserError([place(pi, overrides, doc, at, file)]);
    }
    readDatasetFile(dataset.file);
  }
  return scenario;
}

/** The schema and cross-field issues of a file before any override; the last text's are kept, as a sweep parses one text per cell. */
function asWrittenIssues(text: string, raw: Record<string, unknown>): PathIssue[] {
  if (lastAsWritten?.text !== text) {
    const { value, issues } = validate(Scenario, structuredClone(raw), elsewhere);
    lastAsWritten = { text, issues: issues.length > 0 ? issues : crossChecks(value) };
  }
  return lastAsWritten.issues;
}
let lastAsWritten: { text: string; issues: PathIssue[] } | undefined;

/** Each issue once (the file as written and the overridden file may both have it). */
function unique(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify([i.file, i.line, i.column, i.path, i.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where an issue is: the last override that wrote at or under its path, else its node in the file. */
function place(
  pi: PathIssue,
  overrides: readonly SetOverride[],
  doc: Document,
  at: (offset: number) => { line: number; column: number },
  file: string,
): Issue {
  const path = formatPath(pi.path);
  const from = [...overrides].reverse().find((o) => related(formatPath(o.path.split('.').map(seg)), path));
  if (from) return { file: from.source, path, message: pi.message };
  const offset = locate(doc, pi.path, pi.key ?? false);
  return { file, ...(offset !== undefined ? at(offset) : {}), path, message: pi.message };
}

const seg = (s: string): Segment => (/^\d+$/.test(s) ? Number(s) : s);

/** One path at or under the other (`a.b` and `a.b.c`, not `a.bc`). */
function related(a: string, b: string): boolean {
  const under = (x: string, y: string) => x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return under(a, b) || under(b, a);
}

/** Offset of the node at `path` (its key if `key`), or of the deepest existing ancestor. */
function locate(doc: Document, path: readonly Segment[], key: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(path[i]));
      if (!pair) return offset;
      if (key && i === path.length - 1) return rangeStart(pair.key) ?? offset;
      next = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof path[i] === 'number') {
      next = node.items[path[i] as number];
    }
    if (next === undefined || next === null) return offset;
    node = next;
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function rangeStart(n: unknown): number | undefined {
  return (n as Node | null)?.range?.[0];
}
