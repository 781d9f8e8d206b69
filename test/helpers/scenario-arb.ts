/**
 * fast-check arbitraries of scenario documents derived from the schema
 * itself, so a new setting is fuzzed without touching the tests: valid
 * documents (every field optional, values inside the schema's bounds,
 * cross-field rules repaired), and mutations of them that break exactly one
 * place (a wrong type, a value out of range, an unknown or misspelled key,
 * a missing required field, absurd nesting), with the path they break.
 */
import fc from 'fast-check';
import { Scenario } from '../../src/schema/schema.ts';
import { formatPath } from '../../src/util/errors.ts';
import { asJson, type JsonSchema } from '../../src/scenario/validate.ts';

export type Doc = Record<string, unknown>;
type Seg = string | number;

/** Bounds for documents that must also run fast: [low, high] per setting name (the last path segment). */
export type Clamp = Record<string, [number, number]>;

/** Settings left out of generated documents: a dataset file must exist, and a sweep block is not a run. */
const skipped = new Set(['$schema', 'sweep', 'file']);

/** An arbitrary of documents valid under `schema` (bounded by `clamp` where given). */
export function validDoc(clamp: Clamp = {}): fc.Arbitrary<Doc> {
  // repair() works on a copy: fast-check reuses generated values while shrinking.
  return (arb(asJson(Scenario), '', clamp) as fc.Arbitrary<Doc>).map((d) => repair(structuredClone(d)));
}

function arb(s: JsonSchema, name: string, clamp: Clamp): fc.Arbitrary<unknown> {
  if (s.anyOf) return fc.oneof(...s.anyOf.map((b) => arb(b, name, clamp)));
  if (s.const !== undefined) return fc.constant(s.const);
  switch (s.type) {
    case 'object':
      return objectArb(s, name, clamp);
    case 'array':
      return fc.array(arb(s.items ?? {}, name, clamp), { minLength: s.minItems ?? 0, maxLength: 4 });
    case 'number':
    case 'integer':
      return numberArb(s, clamp[name]);
    case 'string':
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= 40);
      return fc.string({ minLength: s.minLength ?? 0, maxLength: 30, unit: 'grapheme' });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constant(null);
  }
}

function objectArb(s: JsonSchema, name: string, clamp: Clamp): fc.Arbitrary<unknown> {
  if (s.patternProperties) {
    // The services map: the three the test script needs, sometimes another one.
    const [item] = Object.values(s.patternProperties);
    const names = fc.subarray(['web', 'db-1'], { maxLength: 1 }).map((extra) => ['users', 'projects', 'tasks', ...extra]);
    return names.chain((ns) => fc.tuple(...ns.map(() => arb(item, name, clamp))).map((vs) => Object.fromEntries(ns.map((n, i) => [n, vs[i]]))));
  }
  const props = Object.entries(s.properties ?? {}).filter(([k]) => !skipped.has(k));
  const record = Object.fromEntries(props.map(([k, p]) => [k, arb(p, k, clamp)]));
  const requiredKeys = props.filter(([k, p]) => s.required?.includes(k) && p.default === undefined).map(([k]) => k);
  return fc.record(record, { requiredKeys });
}

function numberArb(s: JsonSchema, clamp: [number, number] | undefined): fc.Arbitrary<number> {
  let min = s.minimum ?? s.exclusiveMinimum ?? -1e9;
  let max = s.maximum ?? s.exclusiveMaximum ?? (s.type === 'integer' ? 2 ** 31 : 1e9);
  if (clamp) [min, max] = [Math.max(min, clamp[0]), Math.min(max, clamp[1])];
  if (s.type === 'integer') return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: s.exclusiveMinimum !== undefined && min === s.exclusiveMinimum });
}

/** Makes the cross-field rules hold (checks.ts): uniform min <= max, a weight > 0, unique names, malicious <= total, few records. */
function repair<T>(value: T): T {
  const v = value as unknown;
  if (Array.isArray(v)) {
    v.forEach(repair);
    // An implementation list: unique names, some weight > 0.
    // A request mix: every kind goes to a service that exists, some weight > 0.
    if (v.length > 0 && v.every((i) => isObject(i) && typeof i.service === 'string')) {
      const kinds = v as Doc[];
      kinds.forEach((k) => (k.service = 'users'));
      if (kinds.every((k) => k.weight === 0)) kinds[0].weight = 1;
    }
    if (v.length > 0 && v.every((i) => isObject(i) && typeof i.name === 'string')) {
      const impls = v as Doc[];
      impls.forEach((i, k) => (i.name = `${String(i.name)}-${k}`));
      if (impls.every((i) => i.weight === 0)) impls[0].weight = 1;
    }
    return value;
  }
  if (!isObject(v)) return value;
  for (const item of Object.values(v)) repair(item);
  if (Array.isArray(v.attack)) repairAttack(v);
  if (v.name === '.' || v.name === '..') v.name = 'x'; // the pattern admits them, the output-folder rule does not
  if (v.dist === 'uniform' && typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) [v.min, v.max] = [v.max, v.min];
  const datasetKeys = ['users', 'maliciousUsers', 'projectsPerUser', 'maliciousProjects', 'tasksPerProject', 'maliciousTasks'];
  if (!datasetKeys.some((k) => typeof v[k] === 'number')) return value;
  // Defaults fill what is missing: the malicious count of each pair must stay within the total.
  const pairs = [['maliciousUsers', 1, 'users', 5], ['maliciousProjects', 1, 'projectsPerUser', 2], ['maliciousTasks', 10, 'tasksPerProject', 100]] as const;
  const [u, p, t] = [num(v.users, 5), num(v.projectsPerUser, 2), num(v.tasksPerProject, 100)];
  if (u * (1 + p * (1 + t)) > 1e6) Object.assign(v, { users: 2, projectsPerUser: 2, tasksPerProject: 10 });
  for (const [bad, badDefault, total, totalDefault] of pairs) {
    const n = num(v[total], totalDefault);
    if (num(v[bad], badDefault) > n) v[bad] = n;
  }
  return value;
}

/** Attackers: unique names, services that exist, a horizon when some attacker acts. */
function repairAttack(doc: Doc): void {
  const services = ['users', 'projects', 'tasks'];
  const list = (doc.attack as unknown[]).filter(isObject);
  list.forEach((a, k) => {
    a.name = `a${k}`;
    if (typeof a.target === 'string' && !services.includes(a.target)) a.target = 'users';
    if (Array.isArray(a.chain)) a.chain = a.chain.map((c) => (typeof c === 'string' && services.includes(c) ? c : 'tasks'));
  });
  const acts = list.some((a) => a.kind !== undefined && a.kind !== 'pseudo');
  if (acts && !(typeof doc.horizon === 'number' && doc.horizon > 0)) doc.horizon = 1;
}

const num = (x: unknown, d: number) => (typeof x === 'number' ? x : d);
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One broken place in a document: what was done, and the path a message must name. */
export interface Mutation {
  kind: 'wrong-type' | 'out-of-range' | 'unknown-key' | 'typo' | 'missing' | 'deep';
  path: string;
  doc: Doc;
}

/** Every place in `doc` with its schema node, for mutations. */
function places(doc: unknown, s: JsonSchema, path: Seg[], out: { path: Seg[]; value: unknown; schema: JsonSchema; parent: JsonSchema | undefined }[], parent?: JsonSchema): void {
  out.push({ path, value: doc, schema: s, parent });
  const branch = s.anyOf ? s.anyOf.find((b) => b.type === 'object' && isObject(doc) && (b.properties?.dist?.const === undefined || b.properties.dist.const === doc.dist)) : s;
  if (!branch) return;
  if (isObject(doc)) {
    for (const [k, v] of Object.entries(doc)) {
      const child = branch.properties?.[k] ?? Object.values(branch.patternProperties ?? {})[0];
      if (child) places(v, child, [...path, k], out, branch);
    }
  } else if (Array.isArray(doc) && branch.items) doc.forEach((v, i) => places(v, branch.items as JsonSchema, [...path, i], out, branch));
}

/** The kinds of value a schema node accepts. */
function kinds(s: JsonSchema): Set<string> {
  if (s.anyOf) return new Set(s.anyOf.flatMap((b) => [...kinds(b)]));
  if (s.const !== undefined) return new Set([typeof s.const]);
  return new Set([s.type === 'integer' ? 'number' : (s.type ?? 'any'), ...(s.type === 'object' ? ['null'] : [])]);
}

const samples: Record<string, unknown[]> = {
  number: [42, -1, 0.5],
  string: ['abc', '', 'ünïcödé 🚀'],
  boolean: [true, false],
  object: [{ a: 1 }, {}],
  array: [[1, 2], []],
  null: [null],
};

/** A mutation of a valid document that must be refused, naming `path`. */
export function mutate(doc: Doc): fc.Arbitrary<Mutation> {
  const all: ReturnType<typeof placeList> = placeList(doc);
  return fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...(['wrong-type', 'out-of-range', 'unknown-key', 'typo', 'missing', 'deep'] as const))).map(([a, b, c, kind]) => {
    const copy = structuredClone(doc);
    const pick = <T>(xs: readonly T[], n: number) => xs[n % xs.length];
    if (kind === 'wrong-type') {
      const p = pick(all.filter((x) => x.path.length > 0), a);
      const accepted = kinds(p.schema);
      const wrong = Object.keys(samples).filter((k) => !accepted.has(k) && !(k === 'number' && accepted.has('integer')));
      if (accepted.has('any') || wrong.length === 0) return { kind, path: '', doc: copy };
      put(copy, p.path, pick(samples[pick(wrong, b)], c));
      return { kind, path: formatPath(p.path), doc: copy };
    }
    if (kind === 'out-of-range') {
      const nums = all.filter((x) => (x.schema.type === 'number' || x.schema.type === 'integer') && (x.schema.minimum !== undefined || x.schema.maximum !== undefined || x.schema.exclusiveMinimum !== undefined));
      if (nums.length === 0) return { kind, path: '', doc: copy };
      const p = pick(nums, a);
      const s = p.schema;
      const options = [
        s.maximum !== undefined ? s.maximum * 2 + 1 : undefined,
        s.minimum !== undefined ? s.minimum - 1 - Math.abs(s.minimum) : undefined,
        s.exclusiveMinimum !== undefined ? s.exclusiveMinimum : undefined,
        s.type === 'integer' ? 1.5 : undefined,
        Number.NaN,
        -Infinity,
      ].filter((x): x is number => x !== undefined);
      put(copy, p.path, pick(options, b));
      return { kind, path: formatPath(p.path), doc: copy };
    }
    const objects = all.filter((x) => isObject(x.value) && !x.schema.anyOf && x.schema.type === 'object');
    if (kind === 'unknown-key' || kind === 'typo') {
      const p = pick(objects, a);
      const known = Object.keys(p.schema.properties ?? {});
      const key = kind === 'typo' && known.length > 0 ? typo(pick(known, b), c) : pick(['bogus', 'Ünicode-ключ', '😀', '__proto__', 'constructor', 'a.b', ''], b);
      if (known.includes(key) || p.schema.patternProperties) return { kind, path: '', doc: copy };
      put(copy, [...p.path, key], 1);
      return { kind, path: formatPath([...p.path, key]), doc: copy };
    }
    if (kind === 'missing') {
      const withRequired = all.filter((x) => isObject(x.value) && x.parent !== undefined && requiredNoDefault(x).length > 0);
      if (withRequired.length === 0) return { kind, path: '', doc: copy };
      const p = pick(withRequired, a);
      const key = pick(requiredNoDefault(p), b);
      const target = get(copy, p.path) as Doc;
      delete target[key];
      return { kind, path: formatPath(p.path), doc: copy };
    }
    const p = pick(all.filter((x) => x.path.length > 0), a);
    put(copy, p.path, nest(65 + (b % 200)));
    return { kind, path: '', doc: copy };
  });
}

function placeList(doc: Doc) {
  const out: { path: Seg[]; value: unknown; schema: JsonSchema; parent: JsonSchema | undefined }[] = [];
  places(doc, asJson(Scenario), [], out);
  return out;
}

/** Required fields without a default of the object branch a value is in (a distribution's fields, an implementation's name). */
function requiredNoDefault(x: { value: unknown; schema: JsonSchema }): string[] {
  const branch = x.schema.anyOf?.find((b) => isObject(x.value) && b.properties?.dist?.const === x.value.dist) ?? x.schema;
  return (branch.required ?? []).filter((k) => k !== 'dist' && branch.properties?.[k]?.default === undefined && isObject(x.value) && k in x.value);
}

function typo(word: string, n: number): string {
  const i = n % (word.length + 1);
  return n % 2 === 0 ? `${word.slice(0, i)}x${word.slice(i)}` : word.length > 3 ? word.slice(0, i) + word.slice(i + 1) : `${word}x`;
}

function nest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

function get(doc: unknown, path: readonly Seg[]): unknown {
  let v = doc;
  for (const k of path) v = (v as Record<Seg, unknown>)[k];
  return v;
}

function put(doc: Doc, path: readonly Seg[], value: unknown): void {
  const parent = get(doc, path.slice(0, -1)) as Record<Seg, unknown>;
  Object.defineProperty(parent, path[path.length - 1], { value, writable: true, enumerable: true, configurable: true });
}
