/**
 * A running hash of the processed-event trajectory (time, kind, entity), as
 * OMNeT++ fingerprints: two runs with equal fingerprints processed the same
 * events at the same times. Two MurmurHash3-style 32-bit lanes with
 * different seeds and word orders give 64 bits; word-wise mixing keeps the
 * cost per event to a few multiplications.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x9e3779b9;

  add(time: number, kind: number, entity: number): void {
    f64[0] = time;
    this.a = mix(mix(mix(mix(this.a, u32[0]), u32[1]), kind), entity);
    this.b = mix(mix(mix(mix(this.b, entity), kind), u32[1]), u32[0]);
  }

  toString(): string {
    return hex(this.a) + hex(this.b);
  }
}

/** One MurmurHash3 round: scramble the word, fold it into the state. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function hex(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
