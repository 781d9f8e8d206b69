/**
 * The README's parameter reference, generated from the schema so that it
 * cannot drift: one Markdown table row per setting.
 */
import { stringify } from 'yaml';
import { Distribution, maxRecords, maxSeconds, Scenario } from '../schema/schema.ts';
import { asJson, describeSchema, type JsonSchema } from './validate.ts';

interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}

/** A Markdown table: path, type or allowed values, default, description; then what a distribution is. */
export function parameterReference(): string {
  const rows = settingRows(asJson(Scenario), '');
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '| Path | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${cell(r.path)}\` | ${cell(r.type)} | ${r.default ? `\`${cell(r.default)}\`` : ''} | ${cell(r.description)} |`),
    '',
    `A *distribution* (in seconds) is ${describeSchema(asJson(Distribution))}; ` +
      'lognormal mean and sd are those of the variable itself, normal is truncated at 0, empirical draws uniformly among its samples. ' +
      `Every time in it is at most ${maxSeconds} s (a normal mean from -${maxSeconds}, a lognormal mean from 1e-9).`,
    '',
    `Across fields: a uniform's min is at most its max; an implementation list has a weight > 0 and unique names; ` +
      `malicious counts are at most their totals; a generated dataset has at most ${maxRecords} records ` +
      '(users x (1 + projectsPerUser x (1 + tasksPerProject))); services include users, projects and tasks.',
    '',
  ];
  return lines.join('\n');
}

function settingRows(s: JsonSchema, prefix: string): Row[] {
  return Object.entries(s.properties ?? {}).flatMap(([k, p]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    if (k === '$schema') return [];
    if (p.patternProperties && path === 'services') return serviceRows(p, path);
    if (p.type === 'object' && p.properties) return settingRows(p, path);
    if (p.patternProperties) return [{ ...row(path, p), type: 'mapping of setting path to values' }];
    const own = row(path, p);
    return p.type === 'array' && p.items?.type === 'object' ? [own, ...settingRows(p.items, `${path}[]`)] : [own];
  });
}

/** services: one row for the map and one summarizing what each service may override. */
function serviceRows(p: JsonSchema, path: string): Row[] {
  const [pattern, item] = Object.entries(p.patternProperties ?? {})[0];
  const keys = Object.keys(item.properties ?? {});
  return [
    { ...row(path, p), type: `mapping of name (${pattern}) to settings` },
    {
      path: `${path}.<name>.<setting>`,
      type: 'as the setting',
      default: '',
      description: `per-service override of ${keys.map((k) => (k === 'diversifier' ? 'diversifier.*' : `cluster.${k}`)).join(', ')}; unset ones take the cluster's (or the top-level diversifier's) value`,
    },
  ];
}

function row(path: string, p: JsonSchema): Row {
  const isDist = p.anyOf?.some((b) => b.properties?.dist !== undefined) ?? false;
  return {
    path,
    type: isDist ? 'distribution' : describeSchema(p),
    default: p.default === undefined ? '' : flow(p.default),
    description: p.description ?? '',
  };
}

/** A default as one line of YAML flow style: `{ dist: uniform, min: 0.5, max: 1.5 }`. */
function flow(v: unknown): string {
  return stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}
