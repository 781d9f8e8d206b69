/**
 * Errors for users: values with a place (file, line, column), a path in the
 * scenario and a message saying what was expected and what was found.
 * A UserError carries every issue found, not just the first; exceptions of
 * any other class are bugs.
 */
export interface Issue {
  /** The file, or the source of the value (e.g. `--set cluster.replicas=abc`). */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Dotted path in the scenario (`cluster.implementations[0].weight`); empty for the whole file. */
  path: string;
  message: string;
}

export class UserError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(formatIssues(issues));
    this.name = 'UserError';
    this.issues = issues;
  }
}

/** Issues shown of one error; a file of garbage would otherwise print one per token. */
export const maxShownIssues = 50;
/** Characters shown of one issue line. */
const maxLine = 400;

/** One line per issue: `file:line:column: path: message`; at most maxShownIssues, then how many more. */
export function formatIssues(issues: readonly Issue[]): string {
  const lines = issues.slice(0, maxShownIssues).map(formatIssue);
  if (issues.length > maxShownIssues) lines.push(`... and ${issues.length - maxShownIssues} more`);
  return lines.join('\n');
}

function formatIssue(i: Issue): string {
  let where = i.file;
  if (i.line !== undefined) where += `:${i.line}`;
  if (i.line !== undefined && i.column !== undefined) where += `:${i.column}`;
  return printable(i.path ? `${where}: ${i.path}: ${i.message}` : `${where}: ${i.message}`);
}

/**
 * A message safe for a terminal: control and invisible characters escaped
 * (a file of binary garbage must not reset the terminal, a key must not
 * hide a bidirectional override), one line, at most maxLine characters.
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  // C0/C1 controls, line separators, bidirectional overrides and zero-width characters (a key may hide them).
  const escaped = s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffd]/g, (c) => (c === '\ufffd' ? '?' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return escaped.length > maxLine ? `${escaped.slice(0, maxLine - 3)}...` : escaped;
}

/** A string as it reads in a message: quoted, cut after 60 characters. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/**
 * Issues in reading order: positioned issues by (line, column), then the
 * others (overrides) in the order they were found. Stable.
 */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  const key = (i: Issue) => (i.line === undefined ? Infinity : i.line * 1e6 + (i.column ?? 0));
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => key(a.issue) - key(b.issue) || a.order - b.order)
    .map((x) => x.issue);
}

/** How a value found in a file reads in a message. */
export function describeFound(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

/**
 * The closest candidate to a misspelled word, if close enough to be a
 * plausible typo (optimal string alignment distance, case-insensitive).
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  // NFKC folds look-alikes such as full-width letters (ｒｅｐｌｉｃａｓ) to plain ones.
  const w = word.normalize('NFKC').toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  return bestDist <= limit ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions counting as one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** `a.b[0].c` from path segments. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}
