// Entry of a sweep worker thread: registers tsx, as src/cli/sim.mjs does,
// so that the worker runs the TypeScript sources as they are.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
