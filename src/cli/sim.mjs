#!/usr/bin/env node
// The `sim` executable: registers tsx so the TypeScript sources run as they
// are (no build step to go stale), then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('./main.ts');
await cli();
