// The compiled CLI: src/ bundled by esbuild into two entries (main.mjs, the
// CLI; worker.mjs, a sweep worker thread) and their shared chunks, with
// source maps. It lives in node_modules/.cache/kube-mtd-sim/ (generated,
// never committed; npm ci wipes it and its `prepare` script rebuilds it).
//
// A build is named by a stamp of src/ (every file's path, size and mtime):
// src/cli/sim.mjs recomputes the stamp at each start (about a millisecond)
// and rebuilds when it differs, so an edited source never runs stale. Each
// build has its own folder, written under a temporary name and renamed into
// place, so processes building at once never see a half-written build and a
// running sweep's workers keep loading the build its main thread loaded.
//
//   node src/cli/build.mjs     builds if stale, prints the build folder
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = join(root, 'src');
export const cacheDir = join(root, 'node_modules', '.cache', 'kube-mtd-sim');
const currentFile = join(cacheDir, 'current.json');
/** Builds other than the current one are removed an hour after they were made (the workers of a running sweep have loaded theirs by then). */
const keepMs = 3600 * 1000;

/** A hash of every file's path, size and modification time under src/, and of tsconfig.json (esbuild reads it). */
export function sourceStamp() {
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${e.parentPath ?? e.path}/${e.name}`)
    .sort();
  const hash = createHash('sha1');
  for (const f of [...files, join(root, 'tsconfig.json')]) {
    const s = statSync(f);
    hash.update(`${f.slice(root.length)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The folder of the build of the current sources, or undefined if there is none yet. */
export function currentBuild(stamp = sourceStamp()) {
  try {
    const current = JSON.parse(readFileSync(currentFile, 'utf8'));
    return current.stamp === stamp ? join(cacheDir, current.dir) : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the current sources (unless already built) and returns the build folder; throws if esbuild fails. */
export async function build() {
  const stamp = sourceStamp();
  const existing = currentBuild(stamp);
  if (existing !== undefined) return existing;
  const { build: esbuild } = await import('esbuild');
  const dir = `build-${stamp}`;
  const tmp = join(cacheDir, `tmp-${process.pid}-${Date.now()}`);
  mkdirSync(cacheDir, { recursive: true });
  try {
    await esbuild({
      absWorkingDir: root,
      entryPoints: { main: 'src/cli/main.ts', worker: 'src/experiment/worker.ts' },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true, // main and worker share their chunks; lazily imported modules stay lazy
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Dependencies are bundled too (resolving and loading hundreds of their
      // files was most of the start-up), except native code; the figure
      // renderers (vega, vega-lite) go into the lazily imported chunk of the
      // report (sim plot: 0.5 s less CPU than loading their 40 files).
      external: ['@resvg/resvg-js', 'tsx', 'esbuild'],
      // CommonJS dependencies require() Node's built-ins: give the bundle a require.
      banner: { js: "import { createRequire as __simRequire } from 'node:module'; const require = __simRequire(import.meta.url);" },
      sourcemap: 'linked',
      sourcesContent: false, // the maps point at src/, which is there
      logLevel: 'silent',
      plugins: [asciiWidth],
    });
    try {
      renameSync(tmp, join(cacheDir, dir));
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process built the same sources first
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const next = `${currentFile}.${process.pid}`;
  writeFileSync(next, JSON.stringify({ stamp, dir }));
  renameSync(next, currentFile);
  removeOldBuilds(dir);
  return join(cacheDir, dir);
}

/**
 * yargs lays out its help text on every command it runs (to have it ready
 * for a failure), measuring each string with string-width, which walks
 * Intl.Segmenter graphemes: about 40 ms per run on an idle core. Printable
 * ASCII is as wide as it is long, so such strings skip it; the rest go to
 * the real string-width (each importer keeps its own version), loaded at
 * the first such string.
 */
const asciiWidth = {
  name: 'ascii-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === 'ascii-width' || args.kind !== 'import-statement' ? undefined : { path: args.resolveDir, namespace: 'ascii-width' },
    );
    b.onLoad({ filter: /.*/, namespace: 'ascii-width' }, (args) => ({
      resolveDir: args.path,
      // require(), not import: esbuild then evaluates string-width (an emoji regex and an
      // Intl.Segmenter, about 25 ms) at the first non-ASCII string, not at start-up.
      contents: [
        'const plain = /^[\\x20-\\x7e]*$/;',
        'let width;',
        'export default function stringWidth(s, options) {',
        '  if (typeof s === "string" && plain.test(s)) return s.length;',
        "  width ??= require('string-width').default;",
        '  return width(s, options);',
        '}',
      ].join('\n'),
    }));
  },
};

function removeOldBuilds(keep) {
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    if (name === keep || !/^(build|tmp)-/.test(name)) continue;
    const p = join(cacheDir, name);
    try {
      if (now - statSync(p).mtimeMs > keepMs) rmSync(p, { recursive: true, force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const dir = await build();
  process.stdout.write(`${dirname(dir) === cacheDir ? dir.slice(root.length) : dir}\n`);
}
