/**
 * The scenario file `sim import` writes: the complete scenario (every
 * default filled, as scenarioToYaml writes it), each imported value followed
 * by a comment saying which manifest field it came from, and a comment above
 * each setting the manifests cannot tell, so the user knows what to check.
 */
import { isMap, isScalar, parseDocument, type Document, type Scalar } from 'yaml';
import { formatPath, UserError } from '../util/errors.ts';
import { crossChecks } from '../scenario/checks.ts';
import type { ImportResult } from './import-k8s.ts';
import { Scenario } from '../schema/schema.ts';
import { scenarioToYaml } from '../scenario/serialize.ts';
import { validate } from '../scenario/validate.ts';

/** Settings manifests cannot tell, with what to do about them. */
const unknowable: Record<string, string> = {
  'cluster.implementations': 'not in the manifests: the implementations inside each image, their weights and which are vulnerable',
  'cluster.startup': 'not in the manifests: pod creation until the application listens (the paper measured 3.63 s on average)',
  'cluster.containerStart': 'not in the manifests: pod creation until the container runs (model default)',
  'cluster.serviceTime': 'not in the manifests: time a request spends in the application (model default)',
  'cluster.concurrency': 'not in the manifests (model default)',
  'cluster.sigterm': 'not in the manifests: how the application handles SIGTERM (ignore: a shell as PID 1, the paper\'s case)',
  'cluster.controllerDelay': 'control-plane timing, not in the manifests (model default)',
  'cluster.endpointSliceDelay': 'control-plane timing, not in the manifests (model default; a calibration target)',
  ingress: 'ingress-nginx defaults unless an annotation of the Ingress says otherwise (see the comments)',
  proxy: 'kube-proxy timing, not in the manifests (model default)',
  noise: 'not in the manifests: errors from outside the model (a calibration target)',
  latency: 'not in the manifests (model default)',
  workload: "the paper's test script and dataset, not in the manifests",
};

export function importedYaml(r: ImportResult, header: readonly string[]): string {
  const { value, issues } = validate(Scenario, r.doc);
  const all = [...issues, ...crossChecks(value)];
  if (all.length > 0) {
    throw new UserError(all.map((i) => ({ file: 'imported scenario', path: formatPath(i.path), message: `${i.message} (${r.origins.get(formatPath(i.path)) ?? 'from the manifests'})` })));
  }
  const doc = parseDocument(scenarioToYaml(value as Scenario));
  for (const [path, origin] of r.origins) {
    const node = doc.getIn(path.split('.'), true);
    if (isScalar(node)) node.comment = ` ${origin}`;
  }
  for (const [path, text] of Object.entries(unknowable)) {
    if (!r.origins.has(path)) commentKey(doc, path, text);
  }
  const notes = r.notes.map((n) => `- ${n}`);
  doc.commentBefore = [...header, ...(notes.length > 0 ? ['', 'Notes from the import:', ...notes] : [])].map((l) => (l === '' ? '' : ` ${l}`)).join('\n');
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** A comment line above the key at `path`. */
function commentKey(doc: Document, path: string, text: string): void {
  const parts = path.split('.');
  const parent = parts.length === 1 ? doc.contents : doc.getIn(parts.slice(0, -1), true);
  if (!isMap(parent)) return;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === parts[parts.length - 1]);
  if (pair && isScalar(pair.key)) (pair.key as Scalar).commentBefore = ` ${text}`;
}
