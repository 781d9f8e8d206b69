/** Every `sim` subcommand, in the order `sim --help` lists them. */
import type { CommandModule } from 'yargs';
import { compareCommand } from './compare.ts';
import { ingestCommand } from './ingest.ts';
import { runCommand } from './run.ts';
import { schemaCommand } from './schema.ts';

// Each module types its own arguments; yargs sees them as generic commands.
export const commands = [runCommand, schemaCommand, compareCommand, ingestCommand] as unknown as CommandModule[];
