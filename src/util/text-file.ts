/**
 * Reading a text file a user gave us (scenario, dataset, live results, a
 * request log): a missing, unreadable, oversized or binary file is a
 * UserError that says which, never an exception from deep inside a parser.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { UserError } from './errors.ts';

/** Reads `path` as UTF-8 text of at most `maxBytes` bytes; `what` names the file in messages. Throws UserError. */
export function readTextFile(path: string, what: string, maxBytes: number): string {
  if (path === '') throw fail('command line', `expected the name of ${what}, found an empty one`);
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw fail(path, `expected ${what}, found a directory`);
    if (st.size > maxBytes) throw fail(path, tooBig(maxBytes, st.size));
    bytes = readCapped(path, maxBytes);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw fail(path, `cannot read ${what} (${describeIoError(e)})`);
  }
  return decodeText(bytes, path);
}

export const tooBig = (max: number, size: number | string) => `expected a file of at most ${max} bytes, found ${size} bytes`;

/**
 * The bytes of `path`, read through a cap: stat() says nothing of the size
 * of a pipe, /dev/zero or a file that grows, so reading stops at
 * `maxBytes + 1` bytes whatever the file is (exit 2 at once, never a
 * process that grows until it is killed).
 */
export function readCapped(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw fail(path, tooBig(maxBytes, `more than ${maxBytes}`));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * UTF-8 text without NUL bytes, a leading BOM dropped. Binary data (an
 * image, a compressed file, random bytes) is refused with the place of the
 * first byte that cannot be text.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw binary(file, bytes, nul >= 0 ? Math.min(nul, at) : at);
  }
  if (nul >= 0) throw binary(file, bytes, nul);
  return text;
}

function binary(file: string, bytes: Uint8Array, offset: number): UserError {
  const before = Buffer.from(bytes.subarray(0, offset)).toString('latin1');
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const byte = bytes[offset].toString(16).padStart(2, '0');
  return new UserError([{ file, line, column, path: '', message: `expected UTF-8 text, found binary data (byte 0x${byte})` }]);
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
}

const fail = (file: string, message: string) => new UserError([{ file, path: '', message }]);

/** `no such file or directory` for ENOENT and the like; the code otherwise. */
export function describeIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent of the path is not a directory',
    EMFILE: 'too many open files',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the name is too long',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EPERM: 'operation not permitted',
  };
  return (code !== undefined ? known[code] : undefined) ?? code ?? String(e);
}
