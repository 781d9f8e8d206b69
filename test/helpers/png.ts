/**
 * A tiny PNG decoder for tests (8-bit, non-interlaced grey/RGB/RGBA, as
 * resvg and Chromium write them): enough to check a figure's size and that
 * a screenshot is not blank, without a dependency.
 */
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, rows top to bottom. */
  rgba: Uint8Array;
}

const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const channelsOf: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(png: Buffer): Image {
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG');
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      [width, height, depth, colorType, interlace] = [data.readUInt32BE(0), data.readUInt32BE(4), data[8], data[9], data[12]];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const channels = channelsOf[colorType];
  if (depth !== 8 || channels === undefined || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) unfilter(raw, y * (stride + 1), pixels, y * stride, stride, channels, y > 0);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = pixels.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, a] = channels >= 3 ? [p[0], p[1], p[2], channels === 4 ? p[3] : 255] : [p[0], p[0], p[0], channels === 2 ? p[1] : 255];
    rgba.set([r, g, b, a], i * 4);
  }
  return { width, height, rgba };
}

/** Undoes one scanline's filter in place into `out` (PNG spec, section 9). */
function unfilter(raw: Buffer, at: number, out: Uint8Array, o: number, stride: number, bpp: number, hasUp: boolean): void {
  const filter = raw[at];
  for (let i = 0; i < stride; i++) {
    const x = raw[at + 1 + i];
    const a = i >= bpp ? out[o + i - bpp] : 0;
    const b = hasUp ? out[o + i - stride] : 0;
    const c = hasUp && i >= bpp ? out[o + i - stride - bpp] : 0;
    let v: number;
    if (filter === 0) v = x;
    else if (filter === 1) v = x + a;
    else if (filter === 2) v = x + b;
    else if (filter === 3) v = x + ((a + b) >> 1);
    else if (filter === 4) v = x + paeth(a, b, c);
    else throw new Error(`bad PNG filter ${filter}`);
    out[o + i] = v & 255;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** How much is drawn: distinct colours and the share of pixels that are not (near) white. */
export function inkStats(img: Image): { colors: number; inked: number } {
  const colors = new Set<number>();
  let inked = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [img.rgba[i * 4], img.rgba[i * 4 + 1], img.rgba[i * 4 + 2]];
    colors.add((r << 16) | (g << 8) | b);
    if (r < 235 || g < 235 || b < 235) inked++;
  }
  return { colors: colors.size, inked: inked / n };
}
