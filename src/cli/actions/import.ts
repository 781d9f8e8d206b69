/** What `sim import` does; its options are in commands/import.ts. */
import { basename, extname, relative } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.ts';
import { UserError } from '../../util/errors.ts';
import { importManifests } from '../../k8s-import/import-k8s.ts';
import { importedYaml } from '../../k8s-import/import-yaml.ts';
import { manifestFiles, readManifests } from '../../k8s-import/k8s-manifests.ts';

export interface ImportArgs {
  path: string;
  out?: string;
  name?: string;
  rename: string[];
  recursive: boolean;
}

export async function action(args: ImportArgs): Promise<void> {
  const files = manifestFiles(args.path, args.recursive);
  const manifests = readManifests(files);
  const name = args.name ?? defaultName(args.path);
  const result = importManifests(manifests, { name, rename: parseRenames(args.rename) });
  const header = [
    `Imported by \`sim import ${args.path}\` from ${files.map((f) => relative(process.cwd(), f) || f).join(', ')}.`,
    'A comment after a value names the manifest field it came from; a comment above a',
    'setting marks what manifests cannot tell (the model\'s default): check those, or',
    'fit them to measurements with `sim calibrate`.',
  ];
  const text = importedYaml(result, header);
  for (const n of result.notes) process.stderr.write(`sim: note: ${n}\n`);
  if (args.out === undefined) process.stdout.write(text);
  else {
    await writeFileAtomic(args.out, text);
    process.stderr.write(`sim: wrote ${args.out} (${manifests.length} objects from ${files.length} file(s))\n`);
  }
}

function defaultName(path: string): string {
  const base = basename(path.replace(/[\\/]+$/, ''), extname(path)) || 'imported';
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100);
  return clean === '' || clean === '.' || clean === '..' ? 'imported' : clean;
}

function parseRenames(tokens: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tokens) {
    const eq = t.indexOf('=');
    if (eq <= 0 || eq === t.length - 1) throw new UserError([{ file: `--rename ${t}`, path: '', message: 'expected DEPLOYMENT=SERVICE, e.g. todo-users=users' }]);
    out[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return out;
}
