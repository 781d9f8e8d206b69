/**
 * The package's own folder: the nearest folder above this module that holds
 * a package.json. Files shipped beside the sources (the model's .ts files,
 * the testbed's apps) are found from it, so they are found whether the code
 * runs from src/ or compiled into a bundle elsewhere in the package.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  cached = dir;
  return dir;
}

/** A folder of the package's src/ (e.g. 'testbed'), wherever the running code was bundled. */
export function sourceFolder(...parts: string[]): string {
  return join(packageRoot(), 'src', ...parts);
}
