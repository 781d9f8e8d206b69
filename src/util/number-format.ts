/** How numbers are written in every CSV file sim writes, and read back. */

/** Shortest round-trip form; '' for NaN, `inf`/`-inf`, and -0 as `0`. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x); // String(-0) is already '0'
}

/** Inverse of formatNumber: '' is NaN; anything that is not a number is an error naming the text. */
export function parseNumber(text: string): number {
  if (text === '') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  const x = Number(text);
  if (Number.isNaN(x) || text.trim() !== text) throw new Error(`not a number: '${text}'`);
  return x;
}
