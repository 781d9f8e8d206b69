#!/usr/bin/env node
// The `sim` executable. It runs the compiled CLI (src/cli/build.mjs), after
// rebuilding it if any file under src/ changed since it was built, so that
// what runs is always the sources as they are. If it cannot build (esbuild
// missing, the cache folder not writable, a syntax error), it runs the
// sources through tsx instead, as a development fallback: the same code,
// about a second slower to start, and tsx reports a syntax error itself.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { build, currentBuild } from './build.mjs';

// V8 pretenures an allocation site whose objects survived early scavenges; a replication's pods and
// requests then start in the old generation, and every young object they point to survives each
// scavenge until the next full GC (about 4 MB copied per scavenge instead of 70 KB). Replications
// allocate short-lived objects only: no pretenuring. Process-wide, so worker threads get it too.
setFlagsFromString('--no-allocation-site-pretenuring');

// SIM_FROM_SOURCE=1 skips the build (to compare the two, or to debug the build itself).
const fromSource = process.env.SIM_FROM_SOURCE === '1';
let dir = fromSource ? undefined : currentBuild();
if (dir === undefined && !fromSource) {
  try {
    dir = await build();
  } catch {
    dir = undefined;
  }
}
let cli;
if (dir !== undefined) {
  // Stack traces (--debug) name the .ts lines; off otherwise, as mapping costs start-up time.
  if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
  ({ cli } = await import(pathToFileURL(join(dir, 'main.mjs')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ cli } = await import('./main.ts'));
}
await cli();
