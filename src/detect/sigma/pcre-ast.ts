/**
 * The parsed form of a Sigma (PCRE) regular expression. Every node carries
 * what JavaScript needs to reproduce PCRE's meaning exactly, so the emitted
 * source and the linear-time matcher both work from one reading of the rule.
 */

/** Inclusive code point ranges, sorted; an over-approximation where noted. */
export type Ranges = Array<[number, number]>;

export const ALL: Ranges = [[0, 0x10ffff]];

export type Node =
  /** One character from a set. `js` is an atom in JavaScript `u`-mode syntax; `lit` is set for a plain character. */
  | { type: 'char'; js: string; ranges: Ranges; lit?: string }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; options: Node[] }
  | { type: 'repeat'; body: Node; min: number; max: number; lazy: boolean }
  | { type: 'assert'; kind: AssertKind }
  | { type: 'look'; behind: boolean; negate: boolean; body: Node };

/**
 * PCRE's anchors, each spelled out, so the emitted regex never needs
 * JavaScript's `m` flag (whose line ends include \r, U+2028 and U+2029).
 */
export type AssertKind = 'start' | 'end' | 'endOrFinalNewline' | 'lineStart' | 'lineEnd' | 'wordBoundary' | 'notWordBoundary';

export interface ParsedRegex {
  node: Node;
  /** `i` only: `m` and `s` are resolved into the nodes. */
  caseless: boolean;
}

export const EMPTY: Node = { type: 'seq', items: [] };

/** Children of a node, for walks that do not care about its kind. */
export function childrenOf(node: Node): Node[] {
  switch (node.type) {
    case 'seq':
      return node.items;
    case 'alt':
      return node.options;
    case 'repeat':
    case 'look':
      return [node.body];
    default:
      return [];
  }
}

/** True when some node below (or at) `node` satisfies `test`. */
export function someNode(node: Node, test: (n: Node) => boolean): boolean {
  const stack = [node];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (test(n)) return true;
    stack.push(...childrenOf(n));
  }
  return false;
}
