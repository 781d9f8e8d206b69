/**
 * The `sim` command line: a thin yargs shell over the experiment and report
 * layers. User errors (bad files, bad flags) print a message and exit 2; a
 * stack trace only with --debug.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { formatIssues, UserError } from '../scenario/errors.ts';
import { commands } from './commands/index.ts';
import { Interrupted } from './execute.ts';

export const exitCodes = { ok: 0, verdict: 1, userError: 2, internal: 3, interrupted: 130 } as const;

function buildParser(argv: string[]): Argv {
  let parser = yargs(argv)
    .scriptName('sim')
    .usage('$0 <command> [options]\n\nDeterministic simulator of Moving Target Defense on Kubernetes.')
    .option('debug', { type: 'boolean', default: false, describe: 'show stack traces of errors' })
    .strict()
    .demandCommand(1, 'name a command: sim --help lists them')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError([{ file: 'command line', path: '', message: msg }]);
    });
  for (const c of commands) parser = parser.command(c);
  return parser;
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await buildParser(argv).parseAsync();
    // A command may set a verdict code (sim compare --fail-outside sets 1).
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (err) {
    if (err instanceof Interrupted) {
      process.stderr.write(`sim: ${err.message}\n`);
      return exitCodes.interrupted;
    }
    if (err instanceof UserError) {
      process.stderr.write(`sim: ${formatIssues(err.issues)}\n`);
      if (debug) process.stderr.write(`${err.stack}\n`);
      return exitCodes.userError;
    }
    process.stderr.write(`sim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(run again with --debug for the stack trace)\n');
    return exitCodes.internal;
  }
}

// `sim schema | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(exitCodes.ok);
  throw err;
});
process.exitCode = await main(hideBin(process.argv));
