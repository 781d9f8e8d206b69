/**
 * A fingerprint of the code that computes a replication's metrics. It is
 * part of a sweep's plan hash, so that `--resume` after an upgrade, or
 * `sim merge` of shards run from different images, refuses to mix results
 * of two versions of the model instead of silently combining them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders (whole) and files of src/ that decide the numbers in runs.csv. */
const folders = ['engine', 'cluster', 'workload', 'metrics'];
const files = ['experiment/replication.ts', 'experiment/unit-run.ts', 'experiment/run.ts'];

let cached: string | undefined;

/** sha256 over the paths and contents of the model's sources, in sorted path order. */
export function modelFingerprint(): string {
  if (cached !== undefined) return cached;
  const src = sourceFolder();
  const paths = folders.flatMap((d) =>
    readdirSync(join(src, d), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${d}/${f.split('\\').join('/')}`),
  );
  const hash = createHash('sha256');
  for (const p of [...paths, ...files].sort()) hash.update(`${p}\0`).update(readFileSync(join(src, p))).update('\0');
  cached = hash.digest('hex');
  return cached;
}

/**
 * src/: this file's parent folder when it runs from source; when it runs
 * compiled (bundled into node_modules/.cache, see src/cli/build.mjs), the
 * src/ of the package the bundle lies in.
 */
function sourceFolder(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  if (import.meta.url.endsWith('.ts')) return dirname(here);
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return join(dir, 'src');
  throw new Error(`model-version: no package.json above ${here}`);
}
