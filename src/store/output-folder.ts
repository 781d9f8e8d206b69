/**
 * What sim may touch in an output folder. OUT/.sim-manifest.json lists
 * what sim created there: files, trees (folders whose whole content is
 * sim's: parts/ and the staging folder) and dirs (folders sim made, removed
 * once empty). sim replaces or removes only what it lists; a path it would
 * write that exists and is not listed belongs to the user, and the command
 * stops (exit 2) instead. An entry is recorded before the file is created,
 * so a crash leaves at worst an entry for a file that is not there.
 *
 * One writer per folder (cli/out-lock.ts): a command reads the manifest
 * once and passes the folder object along.
 */
import { existsSync, lstatSync } from 'node:fs';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { ensureDir, exists, renameFile, writeFileAtomic } from '../util/atomic.ts';

export const manifestName = '.sim-manifest.json';

interface ManifestFile {
  format: 1;
  files: string[];
  trees: string[];
  dirs: string[];
}

export class OutputFolder {
  private constructor(
    readonly dir: string,
    private readonly files: Set<string>,
    private readonly trees: Set<string>,
    private readonly dirs: Set<string>,
  ) {}

  /** The folder's manifest (empty when sim never wrote there). */
  static async open(dir: string): Promise<OutputFolder> {
    const path = join(dir, manifestName);
    let m: ManifestFile = { format: 1, files: [], trees: [], dirs: [] };
    const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (text !== undefined) m = parseManifest(text, path);
    const folder = new OutputFolder(dir, new Set(m.files), new Set(m.trees), new Set(m.dirs));
    if (text !== undefined) folder.saved = text;
    return folder;
  }

  /** Whether sim created `rel` (a file listed, or anything in a listed tree). */
  owns(rel: string): boolean {
    return this.files.has(rel) || this.dirs.has(rel) || [...this.trees].some((t) => rel === t || rel.startsWith(`${t}/`));
  }

  /** Listed files for which `pick` holds. */
  listed(pick: (rel: string) => boolean): string[] {
    return [...this.files].filter(pick).sort();
  }

  /** Throws UserError naming every path of `rels` that exists and that sim did not create. */
  checkFree(rels: readonly string[]): void {
    const foreign = rels.filter((r) => exists(join(this.dir, r)) && !this.owns(r));
    if (foreign.length === 0) return;
    const names = foreign.map((r) => join(this.dir, r));
    throw new UserError(names.map((file) => ({ file, path: '', message: notOurs })));
  }

  /** Records files about to be written (after checkFree). */
  async add(rels: readonly string[]): Promise<void> {
    for (const r of rels) this.files.add(r);
    await this.save();
  }

  /** Removes listed files (the others are left alone) and the listed folders left empty. */
  async remove(rels: readonly string[]): Promise<void> {
    for (const r of rels) {
      if (!this.files.has(r)) continue;
      await rm(join(this.dir, r), { force: true });
      this.files.delete(r);
    }
    for (const d of [...this.dirs].sort().reverse()) {
      if ((await readdir(join(this.dir, d)).catch(() => [''])).length > 0) continue;
      await rmdir(join(this.dir, d)).catch(() => undefined);
      this.dirs.delete(d);
    }
    await this.save();
  }

  /** Creates the folder `rel` (and its parents) inside OUT, listing those it made. */
  async makeDir(rel: string): Promise<void> {
    const parts = rel.split('/');
    const made: string[] = [];
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!exists(join(this.dir, d))) made.push(d);
      else if (!lstatSync(join(this.dir, d)).isDirectory()) {
        throw new UserError([{ file: join(this.dir, d), path: '', message: `expected a folder (sim writes into it), found a file; ${notOurs.slice(notOurs.indexOf('move'))}` }]);
      }
    }
    if (made.length === 0) return;
    for (const d of made) this.dirs.add(d);
    await this.save();
    await ensureDir(join(this.dir, rel));
  }

  /** An empty tree `rel` of sim's (its earlier content removed); refused if the user has something there. */
  async freshTree(rel: string): Promise<string> {
    await this.removeTree(rel);
    this.checkFree([rel]);
    this.trees.add(rel);
    await this.save();
    const path = join(this.dir, rel);
    await ensureDir(path);
    return path;
  }

  /** A tree of sim's kept as it is (a resume); refused if the user made it. */
  async keepTree(rel: string): Promise<void> {
    this.checkFree([rel]);
    if (this.trees.has(rel)) return;
    this.trees.add(rel);
    await this.save();
  }

  /** Removes a listed tree with all it holds; an unlisted one is left alone. */
  async removeTree(rel: string): Promise<void> {
    if (!this.trees.has(rel)) return;
    await rm(join(this.dir, rel), { recursive: true, force: true });
    this.trees.delete(rel);
    await this.save();
  }

  /** The manifest as last read or written: a save that changes nothing writes nothing (each write is an fsync). */
  private saved = '';

  private async save(): Promise<void> {
    const m: ManifestFile = { format: 1, files: [...this.files].sort(), trees: [...this.trees].sort(), dirs: [...this.dirs].sort() };
    const text = `${JSON.stringify(m, null, 2)}\n`;
    if (text === this.saved) return;
    await ensureDir(this.dir);
    await writeFileAtomic(join(this.dir, manifestName), text);
    this.saved = text;
  }
}

const notOurs = `exists and was not written by sim (it is not in ${manifestName}); sim never replaces a file it did not create: move it away or choose another --out`;

function parseManifest(text: string, path: string): ManifestFile {
  let m: Partial<ManifestFile> | undefined;
  try {
    m = JSON.parse(text) as Partial<ManifestFile>;
  } catch {
    m = undefined;
  }
  const list = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string' && safeRelative(x));
  if (!m || m.format !== 1 || !list(m.files) || !list(m.trees) || !list(m.dirs)) {
    throw new UserError([{ file: path, path: '', message: 'is not a manifest of this version of sim; remove it only if sim wrote this folder' }]);
  }
  return m as ManifestFile;
}

/** A path inside the folder: relative, no `..`, no empty names (a hand-edited manifest cannot point outside). */
function safeRelative(p: string): boolean {
  return p !== '' && !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Every file under `dir`, as paths relative to it with `/`, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  return names
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
}

export const stagingName = '.sim-staging';

/**
 * A command's new files, written under OUT/.sim-staging/ in the layout they
 * will have in OUT, then moved in together by commit(): a write failure (a
 * full disk) happens while staging and leaves OUT as it was; the commit is
 * renames only, within one file system.
 */
export class Staging {
  private constructor(
    readonly folder: OutputFolder,
    /** The staging folder: write here as if it were OUT. */
    readonly dir: string,
  ) {}

  static async begin(folder: OutputFolder): Promise<Staging> {
    return new Staging(folder, await folder.freshTree(stagingName));
  }

  /** Drops staged files for which `pick` holds (e.g. half-drawn figures after a stop). */
  async drop(pick: (rel: string) => boolean): Promise<void> {
    for (const rel of (await filesUnder(this.dir)).filter(pick)) await rm(join(this.dir, rel), { force: true });
  }

  /**
   * Moves every staged file into OUT, then removes the earlier files of
   * sim's for which `replaces` holds and that this command did not write
   * again. Returns the paths written. A staged file whose place holds a
   * file of the user's stops the commit before anything moves.
   */
  async commit(replaces: (rel: string) => boolean): Promise<string[]> {
    const staged = await filesUnder(this.dir);
    try {
      this.folder.checkFree(staged);
    } catch (e) {
      await this.discard();
      throw e;
    }
    const again = new Set(staged);
    const stale = this.folder.listed((r) => replaces(r) && !again.has(r));
    for (const d of new Set(staged.map(parentOf).filter((d) => d !== ''))) await this.folder.makeDir(d);
    await this.folder.add(staged);
    for (const rel of staged) await renameFile(join(this.dir, rel), join(this.folder.dir, rel));
    await this.folder.remove(stale);
    await this.discard();
    return staged.map((r) => join(this.folder.dir, r));
  }

  /** Removes the staging folder and all it holds; OUT stays as it was. */
  async discard(): Promise<void> {
    await this.folder.removeTree(stagingName);
  }
}

const parentOf = (rel: string) => rel.split('/').slice(0, -1).join('/');
