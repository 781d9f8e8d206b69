/** Every `sim` subcommand, in the order `sim --help` lists them. */
import type { CommandModule } from 'yargs';
import { calibrateCommand } from './calibrate.ts';
import { compareCommand } from './compare.ts';
import { importCommand } from './import.ts';
import { ingestCommand } from './ingest.ts';
import { mergeCommand } from './merge.ts';
import { plotCommand } from './plot.ts';
import { runCommand } from './run.ts';
import { sweepCommand } from './sweep.ts';
import { schemaCommand } from './schema.ts';
import { testbedCommand } from './testbed.ts';

// Each module types its own arguments; yargs sees them as generic commands.
export const commands = [runCommand, sweepCommand, mergeCommand, plotCommand, schemaCommand, compareCommand, ingestCommand, importCommand, calibrateCommand, testbedCommand] as unknown as CommandModule[];
