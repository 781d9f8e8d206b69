/**
 * Writing scenarios: the resolved YAML (keys in schema order, byte-stable,
 * loads back to an equal Scenario) and the JSON Schema of the file format
 * for editors. The Markdown parameter reference lives in reference.ts.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';
import { Scenario } from '../schema/schema.ts';
import { asJson, isPlainObject, put, type JsonSchema } from './validate.ts';

export { parameterReference } from './reference.ts';

/** The scenario as YAML with every field present, in schema order; distributions, list items and lists of scalars on one line. */
export function scenarioToYaml(s: Scenario): string {
  const doc = new Document(ordered(asJson(Scenario), s));
  visit(doc, {
    Map(_, node, path) {
      const inList = isSeq(path[path.length - 1]);
      if (inList || node.items.some((p) => isScalar(p.key) && p.key.value === 'dist')) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.length > 0 && node.items.every(isScalar)) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** A copy of `v` whose mappings list their keys in schema order; undefined optionals dropped. */
function ordered(s: JsonSchema, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((item) => (s.items ? ordered(s.items, item) : item));
  if (!isPlainObject(v)) return v;
  if (s.anyOf) {
    const branch = s.anyOf.find((b) => b.type === 'object' && Object.entries(b.properties ?? {}).every(([k, p]) => p.const === undefined || p.const === v[k]));
    return branch ? ordered(branch, v) : v;
  }
  const out: Record<string, unknown> = {};
  const props = s.properties ?? {};
  for (const [k, p] of Object.entries(props)) if (v[k] !== undefined) put(out, k, ordered(p, v[k]));
  const item = Object.values(s.patternProperties ?? {})[0];
  for (const [k, x] of Object.entries(v)) {
    if (!Object.hasOwn(props, k) && x !== undefined) put(out, k, item ? ordered(item, x) : x);
  }
  return out;
}

/**
 * The JSON Schema (draft-07) of scenario files: a property with a default
 * is optional in the file, so it leaves `required`; descriptions and
 * defaults stay for editors' hovers and completion.
 */
export function toJsonSchema(): object {
  const schema = fileSchema(JSON.parse(JSON.stringify(Scenario)) as JsonSchema);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kube-mtd-sim scenario',
    ...schema,
  };
}

function fileSchema(s: JsonSchema): JsonSchema {
  const out: JsonSchema & Record<string, unknown> = { ...s };
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, fileSchema(p)]));
    const required = (s.required ?? []).filter((k) => s.properties?.[k]?.default === undefined);
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  if (s.patternProperties) {
    out.patternProperties = Object.fromEntries(Object.entries(s.patternProperties).map(([k, p]) => [k, fileSchema(p)]));
    // A record whose keys have a pattern (service names) rejects other keys, as the loader does.
    if (!Object.keys(s.patternProperties).includes('^(.*)$')) out.additionalProperties = false;
  }
  if (s.anyOf) out.anyOf = s.anyOf.map(fileSchema);
  if (s.items) out.items = fileSchema(s.items);
  return out;
}

