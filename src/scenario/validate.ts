/**
 * A validator over the JSON Schema subset the scenario schema uses. It checks
 * an unknown document, fills defaults (deep copies) and collects every issue
 * rather than stopping at the first, with messages a user can act on.
 * Objects come out with their keys in schema order.
 */
import type { TSchema } from '@sinclair/typebox';
import { describeFound, didYouMean } from '../util/errors.ts';

export type Segment = string | number;

/** An issue located by path; `key` marks a problem with the key itself (unknown or invalid name). */
export interface PathIssue {
  path: Segment[];
  message: string;
  key?: boolean;
}

/** The keywords of JSON Schema this validator understands. */
export interface JsonSchema {
  type?: string;
  anyOf?: JsonSchema[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  default?: unknown;
  description?: string;
}

/** TypeBox schemas are JSON Schema objects; this is the one place that says so. */
export const asJson = (s: TSchema): JsonSchema => s as unknown as JsonSchema;

/** Suggests where an unknown key may belong when no sibling is close (`replicas` -> `cluster.replicas`). */
export type Hint = (key: string) => string | undefined;

/** Issues found so far, and the hint for unknown keys. */
interface Ctx {
  issues: PathIssue[];
  hint?: Hint;
}

/** Validate `doc` against `schema`; the value has every default filled in. */
export function validate(schema: TSchema | JsonSchema, doc: unknown, hint?: Hint): { value: unknown; issues: PathIssue[] } {
  const ctx: Ctx = { issues: [], hint };
  const value = check(schema as JsonSchema, doc, [], ctx);
  return { value, issues: ctx.issues };
}

/** Sets an own property, even one named `__proto__` (a key a YAML file may hold). */
export function put(o: object, key: string | number, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function check(s: JsonSchema, v: unknown, path: Segment[], ctx: Ctx): unknown {
  const bad = (message?: string) => {
    ctx.issues.push({ path, message: message ?? `expected ${describeSchema(s)}, found ${describeFound(v)}` });
    return v;
  };
  if (s.anyOf) return checkUnion(s, v, path, ctx);
  if (s.const !== undefined) return v === s.const ? v : bad();
  switch (s.type) {
    case 'object':
      return checkObject(s, v, path, ctx);
    case 'array': {
      if (!Array.isArray(v)) return bad();
      if (s.minItems !== undefined && v.length < s.minItems) bad(`expected ${describeSchema(s)}, found ${v.length} item(s)`);
      // Array.from turns holes (from `--set list.5=...`) into visible undefined items.
      return Array.from(v, (item: unknown, i) => (s.items ? check(s.items, item, [...path, i], ctx) : item));
    }
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v) || (s.type === 'integer' && !Number.isInteger(v))) return bad();
      return inRange(s, v) ? v : bad();
    case 'string':
      if (typeof v !== 'string') return bad();
      if (s.minLength !== undefined && v.length < s.minLength) return bad();
      if (s.pattern !== undefined && !new RegExp(s.pattern).test(v)) return bad();
      return v;
    case 'boolean':
      return typeof v === 'boolean' ? v : bad();
    default:
      throw new Error(`validate: unsupported schema at ${path.join('.')}: ${JSON.stringify(s)}`);
  }
}

function inRange(s: JsonSchema, v: number): boolean {
  return !(
    (s.minimum !== undefined && v < s.minimum) ||
    (s.maximum !== undefined && v > s.maximum) ||
    (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) ||
    (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum)
  );
}

function checkObject(s: JsonSchema, v: unknown, path: Segment[], ctx: Ctx): unknown {
  // A key with nothing under it (`cluster:`) reads as an empty mapping.
  if (v === null) v = {};
  if (!isPlainObject(v)) {
    ctx.issues.push({ path, message: `expected a mapping, found ${describeFound(v)}` });
    return v;
  }
  const out: Record<string, unknown> = {};
  const props = s.properties ?? {};
  for (const [key, ps] of Object.entries(props)) {
    if (Object.hasOwn(v, key)) put(out, key, check(ps, v[key], [...path, key], ctx));
    else if (ps.default !== undefined) put(out, key, check(ps, structuredClone(ps.default), [...path, key], ctx));
    else if (s.required?.includes(key)) ctx.issues.push({ path: [...path, key], message: `missing; expected ${describeSchema(ps)}` });
  }
  const patterns = Object.entries(s.patternProperties ?? {});
  for (const [key, item] of Object.entries(v)) {
    if (Object.hasOwn(props, key)) continue;
    const match = patterns.find(([p]) => new RegExp(p).test(key));
    if (match) put(out, key, check(match[1], item, [...path, key], ctx));
    else if (patterns.length > 0) ctx.issues.push({ path: [...path, key], key: true, message: `invalid name ${JSON.stringify(key)}: expected a name matching ${patterns.map(([p]) => p).join(' or ')}` });
    else ctx.issues.push({ path: [...path, key], key: true, message: unknownKey(key, Object.keys(props), ctx.hint) });
  }
  return out;
}

function unknownKey(key: string, known: string[], hint?: Hint): string {
  const guess = didYouMean(key, known) ?? hint?.(key);
  if (guess) return `unknown key ${JSON.stringify(key)}; did you mean ${guess}?`;
  return `unknown key ${JSON.stringify(key)}; expected one of: ${known.join(', ')}`;
}

/** YAML spellings of infinity accepted where the schema allows the literal 'inf'. */
export const infinity = /^\+?\.?inf(inity)?$/i;

function checkUnion(s: JsonSchema, v: unknown, path: Segment[], ctx: Ctx): unknown {
  const branches = s.anyOf ?? [];
  if (branches.some((b) => b.const === 'inf') && (v === Infinity || (typeof v === 'string' && infinity.test(v)))) v = 'inf';
  const disc = discriminator(branches);
  if (disc && isPlainObject(v)) {
    const branch = branches.find((b) => b.properties?.[disc]?.const === v[disc]);
    if (branch) return check(branch, v, path, ctx);
    const found = Object.hasOwn(v, disc) ? `${disc}: ${describeFound(v[disc])}` : `a mapping without ${disc}`;
    ctx.issues.push({ path, message: `expected ${describeSchema(s)}, found ${found}` });
    return v;
  }
  for (const b of branches) {
    const scratch: Ctx = { issues: [] };
    const out = check(b, v, path, scratch);
    if (scratch.issues.length === 0) return out;
  }
  // A container of the right kind: report what is wrong inside it.
  const sameKind = branches.filter((b) => b.type === kindOf(v) && (b.type === 'array' || b.type === 'object'));
  if (sameKind.length === 1) return check(sameKind[0], v, path, ctx);
  ctx.issues.push({ path, message: `expected ${describeSchema(s)}, found ${describeFound(v)}` });
  return v;
}

const kindOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** The property whose literal value tells the object branches of a union apart (`dist`). */
function discriminator(branches: JsonSchema[]): string | undefined {
  const objects = branches.filter((b) => b.type === 'object' && b.properties);
  if (objects.length < 2) return undefined;
  return Object.keys(objects[0].properties ?? {}).find((k) => objects.every((b) => b.properties?.[k]?.const !== undefined));
}

/** What a schema accepts, in words: `an integer from 1 to 10000`, `none | probe`. */
export function describeSchema(s: JsonSchema): string {
  if (s.anyOf) {
    if (s.anyOf.every((b) => b.const !== undefined)) return s.anyOf.map((b) => String(b.const)).join(' | ');
    const disc = discriminator(s.anyOf);
    const plain = s.anyOf.filter((b) => !(disc && b.properties?.[disc])).map(describeSchema);
    if (!disc) return plain.join(' or ');
    const kinds = s.anyOf
      .filter((b) => b.properties?.[disc])
      .map((b) => {
        const fields = Object.keys(b.properties ?? {}).filter((k) => k !== disc);
        return `${String(b.properties?.[disc]?.const)} (${fields.join(', ')})`;
      });
    return [...plain, `a mapping with ${disc}: ${kinds.join(', ')}`].join(' or ');
  }
  if (s.const !== undefined) return String(s.const);
  switch (s.type) {
    case 'number':
      return `a number${describeRange(s)}`;
    case 'integer':
      return `an integer${describeRange(s)}`;
    case 'string':
      if (s.pattern !== undefined) return `a string matching ${s.pattern}`;
      return s.minLength ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'array': {
      const items = s.items ? ` of ${plural(describeSchema(s.items))}` : '';
      if (s.minItems === 1) return `a non-empty list${items}`;
      return s.minItems ? `a list of at least ${s.minItems} items${items}` : `a list${items}`;
    }
    case 'object':
      return 'a mapping';
    default:
      return 'a value';
  }
}

function describeRange(s: JsonSchema): string {
  const lo = s.minimum !== undefined ? `>= ${s.minimum}` : s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '';
  const hi = s.maximum !== undefined ? `<= ${s.maximum}` : s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : '';
  if (s.minimum !== undefined && s.maximum !== undefined) return ` from ${s.minimum} to ${s.maximum}`;
  if (lo && hi) return ` ${lo} and ${hi}`;
  return lo || hi ? ` ${lo || hi}` : '';
}

/** `a number >= 0` -> `numbers >= 0`, for list items. */
function plural(desc: string): string {
  return desc.replace(/^an? (number|integer|string|mapping)/, '$1s').replace(/ or an? (number|integer|string|mapping)/g, ' or $1s');
}
