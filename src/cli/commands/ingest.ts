/** `sim ingest LOG.csv... --period P --replicas R`: real runs' request logs to live results. */
import type { CommandModule } from 'yargs';
import type { IngestArgs } from '../actions/ingest.ts';

export const ingestCommand: CommandModule<object, IngestArgs> = {
  command: 'ingest <logs..>',
  describe: "turn request logs of real runs of the test script into live results (one period per call; --out merges)",
  builder: (y) =>
    y
      .positional('logs', { type: 'string', array: true, demandOption: true, describe: 'log CSV files (timestamp,thread,type,name,malicious,http_status), one per run' })
      .option('period', { type: 'string', demandOption: true, describe: 'the runs\' rotation period in seconds, or inf' })
      .option('replicas', { type: 'number', demandOption: true, describe: 'the runs\' replicas per service' })
      .option('out', { type: 'string', describe: 'live-results CSV to write; an existing file keeps its other rows (default: stdout)' })
      .option('source', { type: 'string', describe: 'the source column (default: ingest of the log file names)' }) as never,
  handler: (args) => import('../actions/ingest.ts').then((a) => a.action(args)),
};
