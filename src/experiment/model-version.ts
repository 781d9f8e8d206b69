/**
 * A fingerprint of the code that computes a replication's metrics. It is
 * part of a sweep's plan hash, so that `--resume` after an upgrade, or
 * `sim merge` of shards run from different images, refuses to mix results
 * of two versions of the model instead of silently combining them.
 *
 * It covers every .ts file under src/ except the layers that only store,
 * format and draw results or run outside the simulation (report/, cli/,
 * store/, live/, k8s-import/, testbed/), so a new model folder is covered
 * without anyone listing it; from store/ it keeps the files that write the
 * numbers of runs.csv. The files are read from the
 * package's src/ (found from this module, whether it runs as .ts or as
 * compiled JavaScript elsewhere in the package): about a hundred small
 * files, read once per process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFolder } from '../util/package-root.ts';

/** Folders of src/ that do not change the numbers. */
const presentation = ['report/', 'cli/', 'store/', 'live/', 'k8s-import/', 'testbed/'];
/** Files of those folders that do: the unit and runs.csv rows. */
const kept = ['store/csv.ts', 'store/sweep-files.ts'];

let cached: string | undefined;

/** sha256 over the paths and contents of the model's sources, in sorted path order. */
export function modelFingerprint(): string {
  if (cached !== undefined) return cached;
  const src = sourceRoot();
  const hash = createHash('sha256');
  for (const p of modelSources()) hash.update(`${p}\0`).update(readFileSync(join(src, p))).update('\0');
  cached = hash.digest('hex');
  return cached;
}

/** The modelled source files, for tests. */
export function modelSources(): string[] {
  const src = sourceRoot();
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.ts') && (kept.includes(f) || !presentation.some((p) => f.startsWith(p))))
    .sort();
}

/** src/ of the package this module belongs to (it must ship with the package). */
function sourceRoot(): string {
  const src = sourceFolder();
  if (!existsSync(src)) throw new Error(`model-version: ${src} is missing; the model's sources must ship with the package`);
  return src;
}
