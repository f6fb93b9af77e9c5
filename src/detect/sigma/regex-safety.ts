/**
 * Shapes of regex that make a backtracking engine (V8's) take exponential
 * time on a short, attacker-chosen value, refused at load:
 *
 * - a repeat inside a repeat where either can vary without bound
 *   (`(\w+\s?)+`, `(a+)+`, `(.*a){20}`, `(a?a?)*`);
 * - alternatives under an unbounded repeat that can start with the same
 *   character (`(a|aa)+`, `(\w|\d)*`): each character can be taken by either;
 * - bounded repeats nested so deeply that the ways to split a value explode
 *   (`(a{1,9}){9}`);
 * - an unbounded repeat inside a lookaround, which the linear matcher runs
 *   once per position.
 *
 * What remains is at worst polynomial; regex.ts decides per value whether
 * V8 or the linear-time matcher runs it.
 */

import { childrenOf, someNode, type Node, type Ranges } from './pcre-ast.js';
import { RegexRefused } from './pcre-parse.js';

const MAX_SPLITS = 1000;

type Repeat = Extract<Node, { type: 'repeat' }>;

export function checkBacktracking(root: Node, caseless: boolean): void {
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'repeat' && node.max > 1) checkRepeat(node, caseless);
    if (node.type === 'look' && someNode(node.body, isUnbounded)) {
      throw new RegexRefused('an unbounded repeat (*, +, {n,}) inside a lookaround is not supported');
    }
    stack.push(...childrenOf(node));
  }
}

function checkRepeat(outer: Repeat, caseless: boolean): void {
  const unbounded = outer.max === Infinity;
  someNode(outer.body, (inner) => {
    if (inner.type !== 'repeat' || inner.min === inner.max) return false;
    if (unbounded || inner.max === Infinity) {
      throw new RegexRefused('a repeat inside a repeat (such as (a+)+ or (\\w+\\s?)+) can backtrack exponentially; rewrite it without nesting');
    }
    if ((inner.max - inner.min + 1) ** outer.max > MAX_SPLITS) {
      throw new RegexRefused('nested counted repeats allow too many ways to split a value; use smaller counts');
    }
    return false;
  });
  if (unbounded) checkAlternatives(outer.body, caseless);
}

function checkAlternatives(body: Node, caseless: boolean): void {
  someNode(body, (node) => {
    if (node.type !== 'alt') return false;
    const firsts = node.options.map((o) => fold(first(o).ranges, caseless));
    firsts.forEach((a, i) => {
      if (firsts.slice(i + 1).some((b) => overlaps(a, b))) {
        throw new RegexRefused('alternatives under a repeat that can start with the same character (such as (a|aa)+) can backtrack exponentially');
      }
    });
    return false;
  });
}

function isUnbounded(node: Node): boolean {
  return node.type === 'repeat' && node.max === Infinity;
}

/** The characters a match of `node` can start with, and whether it can be empty. */
export function first(node: Node): { ranges: Ranges; nullable: boolean } {
  switch (node.type) {
    case 'char':
      return { ranges: node.ranges, nullable: false };
    case 'seq': {
      const ranges: Ranges = [];
      for (const item of node.items) {
        const f = first(item);
        ranges.push(...f.ranges);
        if (!f.nullable) return { ranges, nullable: false };
      }
      return { ranges, nullable: true };
    }
    case 'alt': {
      const parts = node.options.map(first);
      return { ranges: parts.flatMap((p) => p.ranges), nullable: parts.some((p) => p.nullable) };
    }
    case 'repeat': {
      const f = first(node.body);
      return { ranges: f.ranges, nullable: f.nullable || node.min === 0 };
    }
    default:
      return { ranges: [], nullable: true };
  }
}

/** Under case-insensitive matching, an ASCII letter stands for both cases; anything beyond ASCII for all of it. */
function fold(ranges: Ranges, caseless: boolean): Ranges {
  if (!caseless) return ranges;
  const out: Ranges = [...ranges];
  for (const [lo, hi] of ranges) {
    for (const [from, to, shift] of [[65, 90, 32], [97, 122, -32]] as const) {
      const a = Math.max(lo, from);
      const b = Math.min(hi, to);
      if (a <= b) out.push([a + shift, b + shift]);
    }
    if (hi >= 0x80) out.push([0x80, 0x10ffff]);
  }
  return out;
}

function overlaps(a: Ranges, b: Ranges): boolean {
  return a.some(([lo, hi]) => b.some(([l2, h2]) => lo <= h2 && l2 <= hi));
}

/** How many unbounded repeats the pattern has: the degree of V8's worst case, less one. */
export function unboundedCount(node: Node): number {
  let count = 0;
  someNode(node, (n) => {
    if (isUnbounded(n)) count++;
    return false;
  });
  return count;
}

/** The most characters a match (lookarounds included) can span; Infinity when unbounded. */
export function maxWidth(node: Node): number {
  switch (node.type) {
    case 'char':
      return 1;
    case 'seq':
      return node.items.reduce((sum, item) => sum + maxWidth(item), 0);
    case 'alt':
      return Math.max(0, ...node.options.map(maxWidth));
    case 'repeat':
      return node.max === 0 ? 0 : maxWidth(node.body) * node.max;
    case 'look':
      return maxWidth(node.body);
    default:
      return 0;
  }
}
