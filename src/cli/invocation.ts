/**
 * How the user started sim, to print a command they can paste back:
 * `npx sim`, `npm run sim --`, a linked `sim`, or `node path/to/sim.mjs`.
 * npm's variables are trusted only when they describe this process (a
 * test run by `npm test` that spawns sim passes them on too).
 */
import { basename, isAbsolute, relative } from 'node:path';

export function invokedAs(env: NodeJS.ProcessEnv = process.env, script: string = process.argv[1] ?? 'sim', cwd: string = process.cwd()): string {
  const linked = basename(script) === 'sim';
  if (linked) return env.npm_lifecycle_event === 'npx' ? 'npx sim' : 'sim';
  const event = env.npm_lifecycle_event ?? '';
  if (/^[\w:.-]+$/.test(event) && (env.npm_lifecycle_script ?? '').includes(basename(script))) return `npm run ${event} --`;
  const shown = isAbsolute(script) && !relative(cwd, script).startsWith('..') ? relative(cwd, script) : script;
  return `node ${shown}`;
}
