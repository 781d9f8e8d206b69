/**
 * A headless Chromium that arrives with `npm ci`: @sparticuz/chromium ships
 * chrome-headless-shell, the NSS libraries it links and a font, brotli-packed
 * inside its npm package. We unpack them once per install into
 * node_modules/.cache (not the package's shared /tmp/chromium, which a
 * concurrent or interrupted run could leave half-written) and point the
 * browser at them, so it needs nothing from the system beyond glibc: no apt
 * package, no system font, no network.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import puppeteer, { type Browser } from 'puppeteer-core';

const require = createRequire(import.meta.url);
const pkgDir = dirname(dirname(dirname(require.resolve('@sparticuz/chromium'))));
const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
const cacheDir = join(pkgDir, '..', '..', '.cache', 'kube-mtd-sim-browser', version);

/** Writes the regular files of a ustar archive under `dest` (the archives hold only files and folders). */
function untar(tar: Buffer, dest: string): void {
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) => header.toString('utf8', from, from + len).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if ((type === '0' || type === '') && !name.split('/').includes('..')) {
      const file = join(dest, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, tar.subarray(at + 512, at + 512 + size));
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/** Unpacks the browser into the cache (atomically: a whole folder renamed into place) and returns its folder. */
function unpacked(): string {
  if (existsSync(join(cacheDir, 'chromium'))) return cacheDir;
  const bin = join(pkgDir, 'bin');
  const work = `${cacheDir}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))));
  chmodSync(join(work, 'chromium'), 0o755);
  untar(brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))), work); // lib/libnss3.so and friends
  untar(brotliDecompressSync(readFileSync(join(bin, 'fonts.tar.br'))), work); // fonts/Open_Sans/*.ttf
  // Only the bundled font, so a page renders the same with or without system fonts.
  writeFileSync(
    join(work, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${join(cacheDir, 'fonts')}</dir>\n  <cachedir>${join(cacheDir, 'fontconfig-cache')}</cachedir>\n</fontconfig>\n`,
  );
  try {
    renameSync(work, cacheDir);
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(join(cacheDir, 'chromium'))) throw e; // else another process got there first
  }
  return cacheDir;
}

/** Launches the bundled headless Chromium (over a pipe: no debugging port is opened). */
export async function launchBrowser(): Promise<Browser> {
  const dir = unpacked();
  return puppeteer.launch({
    executablePath: join(dir, 'chromium'),
    headless: 'shell',
    pipe: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--no-zygote', '--single-process', '--disable-gpu', '--font-render-hinting=none',
      '--disable-background-networking', '--disable-component-update', '--no-first-run', '--mute-audio'],
    env: {
      ...process.env,
      LD_LIBRARY_PATH: join(dir, 'lib'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
      HOME: dir,
    },
  });
}
