/**
 * Output files appear whole or not at all: everything is written to a temp
 * file in the same directory, synced, then renamed over the target, so an
 * interrupted run never leaves a truncated runs.csv behind.
 */
import { createWriteStream, existsSync, lstatSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { WriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A failed output write, with the path the user asked for and a readable reason. */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'OutputError';
  }
}

const reasons: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
};

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function outputError(verb: string, path: string, err: unknown): OutputError {
  if (err instanceof OutputError) return err;
  const code = errorCode(err);
  const reason = (code !== undefined ? reasons[code] : undefined) ?? (err instanceof Error ? err.message : String(err));
  return new OutputError(path, code, `cannot ${verb} ${path}: ${reason}`, { cause: err });
}

let tempCounter = 0;

/** Temp files not yet renamed or removed: what an exit on a signal must clean up. */
const inFlight = new Set<string>();

/** A fresh temp name next to `path` (same directory, so the rename is atomic), registered as in flight. */
function tempPath(path: string): string {
  tempCounter += 1;
  const tmp = `${path}.tmp-${process.pid}-${tempCounter}`;
  inFlight.add(tmp);
  return tmp;
}

/** Temp files of writes still in progress; the CLI removes them when it exits in the middle of one. */
export function tempFilesInFlight(): string[] {
  return [...inFlight];
}

/**
 * Create `dir` and its parents if missing, one level at a time: a
 * recursive mkdir loops for ever where mkdir fails with ENOENT below an
 * existing directory (/proc), and hides the real reason of a failure.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      if (errorCode(err) === 'EEXIST' && (await isDirectory(d))) continue; // made meanwhile
      // ENOENT under an existing directory: a file system that makes no directories (/proc, /sys).
      if (errorCode(err) === 'ENOENT') throw new OutputError(dir, 'ENOENT', `cannot create directory ${dir}: ${dirname(d)} does not allow new directories`, { cause: err });
      throw outputError('create directory', dir, err);
    }
  }
  if (!(await isDirectory(dir))) throw outputError('create directory', dir, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** Renames `from` onto `to` (same file system: atomic), as an OutputError naming `to` on failure. */
export async function renameFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    throw outputError('write', to, err);
  }
}

/** Replace `path` with `data` atomically; on failure the old file (if any) is untouched and no temp remains. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  await (await stageFile(path, data)).commit();
}

/** A file written and synced under a temp name, not yet in place. */
export interface StagedFile {
  /** Renames it onto its path. */
  commit(): Promise<void>;
  /** Removes it, leaving the path as it was. */
  discard(): Promise<void>;
}

/** Writes `data` to a temp file next to `path` and syncs it; commit() puts it in place (see AtomicCsvWriter.stage). */
export async function stageFile(path: string, data: string | Buffer): Promise<StagedFile> {
  const tmp = tempPath(path);
  const drop = async () => {
    await rm(tmp, { force: true }).catch(() => undefined);
    inFlight.delete(tmp);
  };
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await drop();
    throw outputError('write', path, err);
  }
  return {
    commit: async () => {
      try {
        await rename(tmp, path);
        inFlight.delete(tmp);
      } catch (err) {
        await drop();
        throw outputError('write', path, err);
      }
    },
    discard: drop,
  };
}

/**
 * Streams CSV rows to a temp file and renames it into place on close(), so
 * memory stays flat however many rows a sweep writes. Rows are arrays of
 * already formatted fields, in header order. Always end with close() or abort().
 *
 * Rows are formatted here (as fast-csv formats them, so files kept their
 * bytes when this replaced it) and written in chunks of about 64 KB: a
 * stream write per row cost the main thread more than the rows themselves.
 */
export class AtomicCsvWriter {
  private state: 'open' | 'staged' | 'closed' | 'aborted' = 'open';
  private failure: OutputError | undefined;
  private pending = '';

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly out: PassThrough,
    /** Settles once the file is synced and closed: with null, or with the error that stopped it. */
    private readonly flushed: Promise<OutputError | null>,
  ) {}

  /** Open a writer for `path`; the header row is written even if no row follows. */
  static async open(path: string, headers: readonly string[]): Promise<AtomicCsvWriter> {
    const tmp = tempPath(path);
    // flush: fsync before the stream closes, so the rename never exposes unwritten data.
    const file: WriteStream = createWriteStream(tmp, { flags: 'wx', flush: true });
    try {
      await once(file, 'ready');
    } catch (err) {
      inFlight.delete(tmp);
      throw outputError('write', path, err);
    }
    const out = new PassThrough();
    const flushed = pipeline(out, file).then(
      () => null,
      (err: unknown) => outputError('write', path, err),
    );
    const w = new AtomicCsvWriter(path, tmp, out, flushed);
    w.pending = csvRow(headers);
    return w;
  }

  /** Append one row; waits when the file falls behind (backpressure). */
  async write(row: readonly string[]): Promise<void> {
    this.assertOpen();
    this.pending += csvRow(row);
    if (this.pending.length >= chunkChars) await this.flush();
  }

  /** Append rows already formatted as csvRow formats them, each ending with a line feed. */
  async writeFormatted(lines: string): Promise<void> {
    this.assertOpen();
    this.pending += lines;
    if (this.pending.length >= chunkChars) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (this.out.write(chunk)) return;
    const drained = new Promise<null>((resolve) => this.out.once('drain', () => resolve(null)));
    const err = await Promise.race([drained, this.flushed]);
    if (err) throw await this.fail(err);
  }

  /** Flush, sync and rename the temp file onto `path`. */
  async close(): Promise<void> {
    await this.stage();
    await this.commit();
  }

  /**
   * Flush and sync, but leave the file under its temp name: files that must
   * change together are all staged first (where a full disk shows), then
   * committed (renames, which need no space).
   */
  async stage(): Promise<void> {
    this.assertOpen();
    this.state = 'staged';
    this.out.end(this.pending);
    this.pending = '';
    const err = await this.flushed;
    if (err) throw await this.fail(err);
  }

  /** Rename a staged file onto `path`. */
  async commit(): Promise<void> {
    if (this.state !== 'staged') throw new Error(`AtomicCsvWriter: ${this.path} is ${this.state}, not staged`);
    try {
      await rename(this.tmp, this.path);
      inFlight.delete(this.tmp);
      this.state = 'closed';
    } catch (e) {
      throw await this.fail(outputError('write', this.path, e));
    }
  }

  /** Drop everything written so far, leaving `path` as it was; a no-op after close(). */
  async abort(): Promise<void> {
    if (this.state !== 'open' && this.state !== 'staged') return;
    this.state = 'aborted';
    await this.cleanup();
  }

  private assertOpen(): void {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw new Error(`AtomicCsvWriter: ${this.path} is already ${this.state}`);
  }

  /** Remember the error (later calls rethrow it) and remove the temp before reporting. */
  private async fail(err: OutputError): Promise<OutputError> {
    this.failure = err;
    this.state = 'aborted';
    await this.cleanup();
    return err;
  }

  /** Stop the streams (pipeline closes the file) and remove the temp. */
  private async cleanup(): Promise<void> {
    this.out.destroy();
    await this.flushed;
    await rm(this.tmp, { force: true }).catch(() => undefined);
    inFlight.delete(this.tmp);
  }
}

const chunkChars = 1 << 16;

/**
 * One CSV line as fast-csv writes it by default: NULs dropped; a field with a
 * quote is quoted with its quotes doubled; one with a comma, a line break or
 * a '|' (fast-csv's pattern holds it) is quoted.
 */
export function csvRow(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    let f = fields[i];
    if (f.includes('\0')) f = f.replace(/\0/g, '');
    if (f.includes('"')) f = `"${f.replace(/"/g, '""')}"`;
    else if (/[,|\r\n]/.test(f)) f = `"${f}"`;
    line += i === 0 ? f : `,${f}`;
  }
  return `${line}\n`;
}

/** Writes a whole CSV file atomically: header, then every row; nothing is left behind on failure. */
export async function writeCsvFile(path: string, headers: readonly string[], rows: Iterable<readonly string[]>): Promise<void> {
  const w = await AtomicCsvWriter.open(path, headers);
  try {
    for (const row of rows) await w.write(row);
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/** Whether anything (a file, a folder, a dangling link) is at `path`. */
export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
