/**
 * A nesting limit for YAML documents: the schema needs 5 levels, so a file
 * nested deeper than maxDepth is a mistake or an attack, and is refused
 * before any recursive code (conversion, validation, checks) walks it.
 * The walk is iterative, so it cannot overflow the stack itself.
 */
import { isMap, isPair, isSeq, type Document } from 'yaml';

export const maxDepth = 64;

/** The offset and message of the first node nested deeper than maxDepth, if any. Aliases are not followed. */
export function nestingIssue(doc: Document): { offset: number; message: string } | undefined {
  const stack: [unknown, number][] = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > maxDepth) {
      return { offset: node.range?.[0] ?? 0, message: `nesting too deep: expected at most ${maxDepth} levels of lists and mappings` };
    }
    for (const item of node.items as unknown[]) {
      if (isPair(item)) stack.push([item.key, depth + 1], [item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return undefined;
}
