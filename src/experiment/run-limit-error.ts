/**
 * A replication stopped by a limit (maxEvents, the horizon): the scenario's
 * to fix, not a bug. `path` is the setting that sets the limit.
 */
export class RunLimitError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'RunLimitError';
  }
}
