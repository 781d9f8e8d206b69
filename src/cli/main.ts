/**
 * The `sim` command line: a thin yargs shell over the experiment and report
 * layers. Exit codes (README "Exit codes"): 0 done, 1 a verdict (compare
 * --fail-outside), 2 bad input, a limit passed or a locked output directory,
 * 3 a bug, 4 an output that could not be written (full disk, no permission),
 * 130/143 stopped by SIGINT/SIGTERM. A message says what is wrong; a stack
 * trace only with --debug.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { RunLimitError } from '../experiment/run-limit-error.ts';
import { OutputError } from '../util/atomic.ts';
import { didYouMean, formatIssues, printable, UserError } from '../util/errors.ts';
import { describeIoError } from '../util/text-file.ts';
import { commands } from './commands/index.ts';
import { releaseAllLocks } from './out-lock.ts';
import { installSignalHandlers, Interrupted } from './signals.ts';

export const exitCodes = { ok: 0, verdict: 1, userError: 2, internal: 3, output: 4, interrupted: 130, terminated: 143 } as const;

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
    .epilog('Exit codes: 0 done, 1 compare --fail-outside found a value outside, 2 bad input, a limit passed or an output directory in use, 3 a bug, 4 an output could not be written, 130/143 stopped by SIGINT/SIGTERM (--resume finishes).')
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError([{ file: 'command line', path: '', message: msg }]);
    });
  for (const c of commands) parser = parser.command(c);
  skipHelpCache(parser);
  // getOptions() is public in yargs but missing from its types.
  const p = parser as unknown as { getOptions(): OptionLists };
  return parser.middleware((args) => checkOptionValues(args, p.getOptions(), argv), true);
}

/**
 * yargs lays out a command's whole help text as the command starts, to show
 * it if the command fails later (about 13 ms of a 1-replication run). Our
 * fail() never shows help, and --help lays it out itself: skip the layout.
 * Internal yargs API, so only if it is there.
 */
function skipHelpCache(parser: Argv): void {
  const internal = (parser as unknown as { getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?(): void } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/**
 * An option that takes a value is given at most once: yargs would make a
 * list of `--out a --out b` and each command would misread it. Only the
 * options that add up (`--set`, `--vary`, `--fit`, `--metric`, `--rename`)
 * repeat; a flag may repeat and the last wins (`--plots --no-plots`). A
 * number option that is not a number names what was typed, not NaN.
 */
interface OptionLists {
  key: Record<string, unknown>;
  array: string[];
  number: string[];
}

function checkOptionValues(args: Record<string, unknown>, o: OptionLists, argv: readonly string[]): void {
  for (const key of Object.keys(o.key)) {
    const v = args[key];
    if (Array.isArray(v) && !o.array.includes(key)) {
      const given = v.map((x) => `--${key} ${String(x)}`).join(', ');
      throw new UserError([{ file: 'command line', path: '', message: `--${key} given ${v.length} times (${given}); give it once` }]);
    }
    if (o.number.includes(key) && typeof v === 'number' && Number.isNaN(v)) {
      throw new UserError([{ file: `--${key} ${rawValue(argv, key) ?? ''}`.trimEnd(), path: '', message: 'expected a number' }]);
    }
  }
}

/** What the user typed after `--key` (or `--key=`). */
function rawValue(argv: readonly string[], key: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`--${key}=`)) return argv[i].slice(key.length + 3);
    if (argv[i] === `--${key}`) return argv[i + 1];
  }
  return undefined;
}

/** The command a command line names: its first word that is not an option. An unknown one is an error, even with --help. */
function checkCommand(argv: readonly string[]): void {
  const word = argv.find((a) => !a.startsWith('-'));
  if (word === undefined) return;
  const names = commands.map((c) => String(c.command).split(' ')[0]);
  if (names.includes(word)) return;
  const guess = didYouMean(word, names);
  const message = `unknown command ${JSON.stringify(word)}${guess ? `; did you mean ${guess}?` : ''} (the commands: ${names.join(', ')}; sim --help describes them)`;
  throw new UserError([{ file: 'command line', path: '', message }]);
}

/** Runs one command line (without `node sim`); returns the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  installSignalHandlers();
  process.exitCode = undefined;
  const say = (s: string) => process.stderr.write(`${s}\n`);
  try {
    checkCommand(argv);
    await buildParser(argv).parseAsync();
    // A command may set a verdict code (sim compare --fail-outside sets 1).
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (err) {
    if (err instanceof Interrupted) {
      say(`sim: ${err.message}`);
      return err.code;
    }
    // A replication run outside a sweep (calibrate, --trace) that stops at a limit.
    if (err instanceof RunLimitError) err = new UserError([{ file: 'a replication', path: err.path, message: err.message }]);
    const output = outputProblem(err);
    if (err instanceof UserError || output !== undefined) {
      say(`sim: ${err instanceof UserError ? formatIssues(err.issues) : printable(output ?? '')}`);
      if (debug) say(String((err as Error).stack));
      return err instanceof UserError ? exitCodes.userError : exitCodes.output;
    }
    say(`sim: internal error: ${printable(err instanceof Error ? err.message : String(err))}`);
    if (debug && err instanceof Error) say(String(err.stack));
    else say('(run again with --debug for the stack trace)');
    return exitCodes.internal;
  } finally {
    releaseAllLocks();
  }
}

/** The message of a failed write or of a failed file-system call (full disk, no permission), else undefined. */
function outputProblem(err: unknown): string | undefined {
  if (err instanceof OutputError) return err.message;
  const e = err as NodeJS.ErrnoException | null;
  if (e instanceof Error && typeof e.code === 'string' && typeof e.syscall === 'string') {
    return `cannot ${e.syscall}${e.path !== undefined ? ` ${e.path}` : ''}: ${describeIoError(e)}`;
  }
  return undefined;
}

/** The `sim` executable's body (src/cli/sim.mjs). */
export async function cli(): Promise<void> {
  // `sim schema | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(exitCodes.ok);
    throw err;
  });
  process.exitCode = await main(hideBin(process.argv));
}
