/**
 * The resolved scenario as a file: `scenario.resolved.yaml` /
 * `sweep.resolved.yaml` are rerun from where they are written, so a
 * dataset path in them is relative to their folder (whether it was written
 * absolute or relative: the output folder and the datasets then move
 * together). Inside the plan, dataset paths are relative to the working
 * directory, as the loader resolves them.
 *
 * The plan hash covers what the results depend on, not where files are: a
 * dataset path is hashed as the sha256 of the file's bytes, so editing the
 * dataset changes the plan (a resume or merge refuses to mix) while
 * running from another folder does not.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Scenario } from '../schema/schema.ts';
import { scenarioToYaml } from '../scenario/serialize.ts';
import { UserError } from '../util/errors.ts';

const datasetPath = 'workload.dataset.file';

/** A copy of `s` with every dataset path (the field and the values of a sweep axis over it) mapped by `f`. */
export function mapDatasets(s: Scenario, f: (path: string) => string): Scenario {
  const copy: Scenario = { ...s, workload: { ...s.workload, dataset: { ...s.workload.dataset } } };
  if (copy.workload.dataset.file !== undefined) copy.workload.dataset.file = f(copy.workload.dataset.file);
  const axis = s.sweep?.vary?.[datasetPath];
  if (s.sweep && Array.isArray(axis)) {
    copy.sweep = { ...s.sweep, vary: { ...s.sweep.vary, [datasetPath]: axis.map((v) => (typeof v === 'string' ? f(v) : v)) } };
  }
  return copy;
}

/** `path` (relative to `base`, or absolute) as a path relative to the working directory. */
export function fromFolder(base: string, path: string): string {
  return isAbsolute(path) ? path : join(base, path);
}

/** The resolved YAML as written in folder `dir`: dataset paths relative to it, so it reruns from there. */
export function resolvedYamlIn(s: Scenario, dir: string): string {
  return yamlWith(s, (p) => relative(dir, p).split(sep).join('/'));
}

/** The resolved YAML with every dataset path replaced by the sha256 of the file: what the plan hash covers. */
export function contentYaml(s: Scenario): string {
  return yamlWith(s, (p) => `sha256:${fileDigest(p)}`);
}

/** Without a dataset file every mapping gives the same YAML: made once per scenario (a run writes it three ways). */
const plainYaml = new WeakMap<Scenario, string>();

function yamlWith(s: Scenario, f: (path: string) => string): string {
  if (s.workload.dataset.file !== undefined || s.sweep?.vary?.[datasetPath] !== undefined) return scenarioToYaml(mapDatasets(s, f));
  let yaml = plainYaml.get(s);
  if (yaml === undefined) {
    yaml = scenarioToYaml(s);
    plainYaml.set(s, yaml);
  }
  return yaml;
}

function fileDigest(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch (e) {
    throw new UserError([{ file: path, path: datasetPath, message: `cannot read the dataset file (${(e as NodeJS.ErrnoException).code ?? String(e)})` }]);
  }
}
