/**
 * A running hash of the processed-event trajectory (time, kind, entity), as
 * OMNeT++ fingerprints: two runs with equal fingerprints processed the same
 * events at the same times. Two independent 32-bit FNV-1a lanes give 64 bits.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x9e3779b9;

  add(time: number, kind: number, entity: number): void {
    f64[0] = time;
    this.a = mix(mix(mix(mix(this.a, u32[0]), u32[1]), kind), entity);
    this.b = mix(mix(mix(mix(this.b, entity), kind), u32[1]), u32[0]);
  }

  toString(): string {
    return hex(this.a) + hex(this.b);
  }
}

function mix(h: number, word: number): number {
  h = Math.imul(h ^ (word & 0xff), 0x01000193);
  h = Math.imul(h ^ ((word >>> 8) & 0xff), 0x01000193);
  h = Math.imul(h ^ ((word >>> 16) & 0xff), 0x01000193);
  return Math.imul(h ^ (word >>> 24), 0x01000193);
}

function hex(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
