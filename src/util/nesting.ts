/**
 * A nesting limit for YAML documents: the schema needs 5 levels, so a file
 * nested deeper than maxDepth is a mistake or an attack, and is refused
 * before any recursive code (conversion, validation, checks) walks it. An
 * alias inside its own anchor (`a: &x [*x]`) would make an endless value,
 * and is refused the same way. The walks cannot overflow the stack.
 */
import { isAlias, isMap, isPair, isSeq, visit, type Alias, type Document, type Node } from 'yaml';

export const maxDepth = 64;

interface Chain {
  node: unknown;
  up: Chain | undefined;
}

/** The offset and message of the first node nested deeper than maxDepth, or of an alias inside its own anchor. */
export function nestingIssue(doc: Document): { offset: number; message: string } | undefined {
  const stack: [unknown, number, Chain | undefined][] = [[doc.contents, 1, undefined]];
  while (stack.length > 0) {
    const [node, depth, up] = stack.pop() as [unknown, number, Chain | undefined];
    if (isAlias(node)) {
      const target = node.resolve(doc);
      for (let c = up; c; c = c.up) {
        if (c.node === target) return { offset: node.range?.[0] ?? 0, message: `the alias *${node.source} is inside its own anchor: an endless value` };
      }
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > maxDepth) return { offset: (node as Node).range?.[0] ?? 0, message: tooDeep };
    const chain = { node, up };
    // Pushed last to first, so the first problem in reading order is the one reported.
    for (const item of [...(node.items as unknown[])].reverse()) {
      if (isPair(item)) stack.push([item.value, depth + 1, chain], [item.key, depth + 1, chain]);
      else stack.push([item, depth + 1, chain]);
    }
  }
  return undefined;
}

export const tooDeep = `nesting too deep: expected at most ${maxDepth} levels of lists and mappings`;

/**
 * Whether a value (aliases expanded) nests deeper than maxDepth: the same
 * limit for what aliases build and for `--set` values. Each object is
 * walked at most maxDepth times, so shared aliases cost no more than copies.
 */
export function nestsTooDeep(v: unknown, budget = maxDepth, seen = new Map<object, number>()): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (budget === 0) return true;
  const before = seen.get(v);
  if (before !== undefined && before >= budget) return false;
  seen.set(v, budget);
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (nestsTooDeep(x, budget - 1, seen)) return true;
  return false;
}

/**
 * How sim reads YAML everywhere: merge keys honoured (`<<: *base`, as
 * kubectl does), positions kept, and no library warning printed to stderr
 * (an unknown tag reads as a plain value, which the schema then checks).
 */
export const yamlOptions = { prettyErrors: false, merge: true, logLevel: 'error' } as const;

/**
 * A document's value with its aliases expanded, or the place and words of
 * why it has none: an alias naming no anchor before it in the same
 * document, or more expansions than `maxAliasCount` (an alias bomb).
 */
export function yamlValue(doc: Document, maxAliasCount: number): { value: unknown } | { offset: number; message: string } {
  const undefinedAlias = firstUnresolvedAlias(doc);
  if (undefinedAlias) {
    const name = undefinedAlias.source;
    const message = name === '' ? 'expected an anchor name after *' : `the alias *${name} names no anchor: an anchor &${name} must come before it, in the same document`;
    return { offset: undefinedAlias.range?.[0] ?? 0, message };
  }
  try {
    return { value: doc.toJS({ maxAliasCount }) };
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    return { offset: 0, message: `too many alias expansions (more than ${maxAliasCount}); the file looks like a YAML alias bomb` };
  }
}

function firstUnresolvedAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** A YAML parser message in words for a user: its first line; two documents and a stack overflow said plainly. */
export function yamlMessage(e: { code: string; message: string }): string {
  if (e.code === 'MULTIPLE_DOCS') return 'expected one YAML document, found a second one (after a --- line)';
  if (/call stack/i.test(e.message)) return tooDeep;
  return e.message.split('\n')[0];
}
