/**
 * The line each CSV record starts on, so that a message names the line the
 * user sees in an editor even after a quoted field that holds a line break.
 * Records the CSV reader skips as empty (every field blank) are left out,
 * as it leaves them out.
 */
export function recordLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let start = 1;
  let quoted = false;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          content = true;
          i++;
        } else quoted = false;
      } else content = true;
      continue;
    }
    if (c === 34) quoted = true;
    else if (c === 10) {
      if (content) lines.push(start);
      start = line;
      content = false;
    } else if (c !== 44 && c !== 13 && c !== 32 && c !== 9) content = true;
  }
  if (content) lines.push(start);
  return lines;
}

/** The lines of the data records (the header's dropped), or undefined when they do not match the `count` records read. */
export function dataRecordLines(text: string, count: number): number[] | undefined {
  const lines = recordLines(text).slice(1);
  return lines.length === count ? lines : undefined;
}
