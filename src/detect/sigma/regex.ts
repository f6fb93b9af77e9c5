/**
 * The `re` modifier. Sigma regexes are PCRE, unanchored and case-sensitive
 * unless `i` is given. The pattern is read by pcre-parse.ts (which refuses
 * what it cannot reproduce), checked for exponential shapes, and compiled
 * twice: to a V8 RegExp, fast on short values, and to a linear-time matcher
 * that runs whenever V8's worst case could be slow (long values, several
 * unbounded repeats). A literal every match must contain is checked with
 * `includes` before either runs.
 */

import type { Node } from './pcre-ast.js';
import { parsePcre, RegexRefused } from './pcre-parse.js';
import { compileNfa } from './regex-nfa.js';
import { checkBacktracking, maxWidth, unboundedCount } from './regex-safety.js';
import { lower } from './strings.js';

/**
 * Values up to this length may go to V8 when the pattern has at most two
 * unbounded repeats: its worst case, cubic, stays in the milliseconds.
 */
export const SHORT_VALUE = 256;
/** A pattern without unbounded repeats goes to V8 at any length when its matches are at most this wide. */
const NARROW = 256;

export type Engine = 'auto' | 'v8' | 'linear';

export function compileRegex(source: string, modifierFlags: string[], engine: Engine = 'auto'): (text: string) => boolean {
  const parsed = parsePcre(source, modifierFlags);
  checkBacktracking(parsed.node, parsed.caseless);
  const node = linearEdges(parsed.node);
  const flags = parsed.caseless ? 'iu' : 'u';
  const js = emit(node);
  let re: RegExp;
  try {
    re = new RegExp(js, flags);
  } catch (err: unknown) {
    throw new RegexRefused(`regular expression not supported by JavaScript: ${(err as Error).message}`);
  }

  const linear = compileNfa(node, flags, emit);
  const test = chooseEngine(node, re, linear, engine);
  return withPrefilter(requiredLiteral(node), parsed.caseless, test);
}

function chooseEngine(node: Node, re: RegExp, linear: (t: string) => boolean, engine: Engine): (t: string) => boolean {
  if (engine === 'v8') return (text) => re.test(text);
  if (engine === 'linear') return linear;
  const unbounded = unboundedCount(node);
  if (unbounded === 0 && maxWidth(node) <= NARROW) return (text) => re.test(text);
  if (unbounded > 2) return linear;
  return (text) => (text.length <= SHORT_VALUE ? re.test(text) : linear(text));
}

function withPrefilter(needle: string, caseless: boolean, test: (t: string) => boolean): (t: string) => boolean {
  if (!needle) return test;
  if (!caseless) return (text) => text.includes(needle) && test(text);
  // Lowercasing agrees with the regex's case folding for ASCII only, and
  // misses the two non-ASCII letters that fold to ASCII ones (long s, Kelvin).
  if (!/^[\x00-\x7f]+$/.test(needle)) return test;
  const lowered = needle.toLowerCase();
  const foldsToAscii = /[\u017f\u212a]/;
  return (text) => (lower(text).includes(lowered) || foldsToAscii.test(text)) && test(text);
}

/** JavaScript `u`-mode source for a parsed node. */
export function emit(node: Node): string {
  switch (node.type) {
    case 'char':
      return node.js;
    case 'seq':
      return node.items.map(emit).join('');
    case 'alt':
      return `(?:${node.options.map(emit).join('|')})`;
    case 'repeat': {
      const body = node.body.type === 'char' || node.body.type === 'alt' ? emit(node.body) : `(?:${emit(node.body)})`;
      return body + quantifier(node.min, node.max) + (node.lazy ? '?' : '');
    }
    case 'assert':
      return ASSERTS[node.kind];
    case 'look':
      return `(?${node.behind ? '<' : ''}${node.negate ? '!' : '='}${emit(node.body)})`;
  }
}

const ASSERTS: Record<Extract<Node, { type: 'assert' }>['kind'], string> = {
  start: '^',
  end: '$',
  endOrFinalNewline: '(?=\\n?$)',
  lineStart: '(?<![^\\n])',
  lineEnd: '(?![^\\n])',
  wordBoundary: '\\b',
  notWordBoundary: '\\B',
};

function quantifier(min: number, max: number): string {
  if (max === Infinity) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  if (min === 0 && max === 1) return '?';
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/**
 * An unanchored search for `S+X` (S one character set) backtracks from every
 * start position, quadratic in the value's length; `SX` matches exactly the
 * same values in linear time. `S*X` likewise finds what `X` finds, and the
 * same holds at the end of the pattern. Assertions read the value, not the
 * match, so trimming a match's edges never changes them.
 */
export function linearEdges(node: Node): Node {
  if (node.type !== 'seq' || node.items.length < 2) return node;
  const items: Array<Node | undefined> = [...node.items];
  const trim = (at: number) => {
    const item = items[at];
    if (item?.type !== 'repeat' || item.body.type !== 'char' || item.max !== Infinity) return;
    items[at] = item.min === 0 ? undefined : item.min === 1 ? item.body : { ...item, max: item.min, lazy: false };
  };
  trim(0);
  trim(items.length - 1);
  return { type: 'seq', items: items.filter((i) => i !== undefined) };
}

/**
 * The longest run of plain characters every match contains, or '' when
 * there is none at the top level. Zero-width assertions do not break a run.
 */
export function requiredLiteral(node: Node): string {
  const items = node.type === 'seq' ? node.items : [node];
  let best = '';
  let run = '';
  for (const item of items) {
    if (item.type === 'char' && item.lit !== undefined) run += item.lit;
    else if (item.type !== 'assert' && item.type !== 'look') {
      if (item.type === 'repeat' && item.min > 0 && item.body.type === 'char' && item.body.lit !== undefined) run += item.body.lit;
      if (run.length > best.length) best = run;
      run = '';
    }
  }
  return run.length > best.length ? run : best;
}
