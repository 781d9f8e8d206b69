/**
 * Reading Kubernetes manifests: a file or a folder of `.yaml`/`.yml` files
 * (not its subfolders unless recursive, as `kubectl apply -f`), each holding
 * any number of YAML documents; a `kind: List` is expanded into its items.
 * Every object keeps its file and line, for messages. Unreadable YAML is a
 * UserError at its line.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { sortIssues, UserError, type Issue } from '../util/errors.ts';
import { isPlainObject } from '../scenario/validate.ts';
import { nestingIssue, yamlMessage, yamlOptions, yamlValue } from '../util/nesting.ts';
import { describeIoError, readTextFile } from '../util/text-file.ts';

export interface Manifest {
  kind: string;
  name: string;
  namespace: string;
  /** The object as parsed (JSON-like). */
  body: Record<string, unknown>;
  file: string;
  line: number;
}

/** Larger manifest files are refused: they are hand-written or generated, never huge. */
const maxBytes = 4 << 20;
/** Alias expansions allowed in one document, as for scenario files. */
const maxAliasCount = 1000;

/** The manifest files under `path`, sorted by name (a file is itself). Throws UserError. */
export function manifestFiles(path: string, recursive = false): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file or folder' : `cannot read the manifests (${describeIoError(e)})`;
    throw new UserError([{ file: path, path: '', message }]);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(path, entry.name);
    if (entry.isDirectory() && recursive) out.push(...manifestFiles(p, true));
    else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(p);
  }
  if (out.length === 0) throw new UserError([{ file: path, path: '', message: 'expected .yaml or .yml manifest files in this folder, found none' }]);
  return out;
}

/** Every Kubernetes object in the files, in file and document order. Throws UserError listing every problem. */
export function readManifests(files: readonly string[]): Manifest[] {
  const issues: Issue[] = [];
  const out: Manifest[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readTextFile(file, 'the manifest file', maxBytes);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      issues.push(...e.issues);
      continue;
    }
    out.push(...parseManifests(text, file, issues));
  }
  if (issues.length > 0) throw new UserError(sortIssues(issues));
  return out;
}

export function parseManifests(text: string, file: string, issues: Issue[]): Manifest[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...yamlOptions, lineCounter: lines });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  if (!Array.isArray(docs)) return []; // an empty stream
  const out: Manifest[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const hint = text.includes('{{') ? ' (a Helm template? render it first with `helm template`)' : '';
      for (const e of doc.errors) {
        const said = yamlMessage(e);
        const message = said === e.message.split('\n')[0] ? `not valid YAML: ${said}${hint}` : said;
        issues.push({ file, line: lineOf(e.pos[0]), path: '', message });
      }
      continue;
    }
    const contents = doc.contents as Node | null;
    // An empty document (a trailing ---) has no contents or a null scalar.
    if (contents === null || (isScalar(contents) && contents.value === null)) continue;
    const deep = nestingIssue(doc);
    if (deep) {
      issues.push({ file, line: lineOf(deep.offset), path: '', message: deep.message });
      continue;
    }
    const line = lineOf(contents.range?.[0]);
    const js = yamlValue(doc, maxAliasCount);
    if ('message' in js) {
      issues.push({ file, line: lineOf(js.offset === 0 ? contents.range?.[0] : js.offset), path: '', message: js.message });
      continue;
    }
    const value = js.value;
    const items = listItems(value, contents);
    if (items) {
      items.forEach(([item, node]) => addObject(item, file, lineOf(node?.range?.[0] ?? contents.range?.[0]), out, issues));
    } else addObject(value, file, line, out, issues);
  }
  return out;
}

/** The items of a `kind: List` (as `kubectl get -o yaml` writes), with their nodes for line numbers. */
function listItems(value: unknown, node: Node): [unknown, Node | undefined][] | undefined {
  if (!isPlainObject(value) || value.kind !== 'List' || !Array.isArray(value.items)) return undefined;
  const seq = isMap(node) ? node.get('items', true) : undefined;
  const nodes = isSeq(seq) ? (seq.items as Node[]) : [];
  return value.items.map((item, i) => [item, nodes[i]]);
}

function addObject(value: unknown, file: string, line: number, out: Manifest[], issues: Issue[]): void {
  if (!isPlainObject(value)) {
    issues.push({ file, line, path: '', message: 'expected a Kubernetes object (a mapping with apiVersion, kind, metadata), found a list or a scalar' });
    return;
  }
  const meta = isPlainObject(value.metadata) ? value.metadata : {};
  if (typeof value.kind !== 'string' || value.kind === '') {
    issues.push({ file, line, path: 'kind', message: 'expected the kind of the object (Deployment, Service, Ingress, ...), found none' });
    return;
  }
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (name === '') {
    issues.push({ file, line, path: 'metadata.name', message: `expected the name of this ${value.kind}, found none` });
    return;
  }
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  out.push({ kind: value.kind, name, namespace, body: value, file, line });
}
