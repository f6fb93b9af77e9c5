/**
 * PCRE's character escapes and classes, each given as JavaScript `u`-mode
 * source with the set of code points it stands for. PCRE's `\s`, `\d`, `\w`
 * and POSIX classes are ASCII-only (no UCP), so they are spelled out rather
 * than left to JavaScript's Unicode-aware `\s`.
 */

import type { Node, Ranges } from './pcre-ast.js';

/** What one escape or class item matches: `inner` is class-body source. */
export interface SetItem {
  inner: string;
  ranges: Ranges;
  /** The ranges are an over-approximation (Unicode properties). */
  approx?: boolean;
}

/** A set written as the complement of `positive`, which no JavaScript class escape expresses the PCRE way. */
export interface NegatedItem {
  negated: SetItem;
}

export type ClassItem = SetItem | NegatedItem;

const DIGIT: SetItem = { inner: '0-9', ranges: [[48, 57]] };
const WORD: SetItem = { inner: '0-9A-Z_a-z', ranges: [[48, 57], [65, 90], [95, 95], [97, 122]] };
const SPACE: SetItem = { inner: '\\t-\\r ', ranges: [[9, 13], [32, 32]] };
const HSPACE: SetItem = {
  inner: '\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000',
  ranges: [[9, 9], [32, 32], [0xa0, 0xa0], [0x1680, 0x1680], [0x180e, 0x180e], [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]],
};
const VSPACE: SetItem = {
  inner: '\\n-\\r\\x85\\u2028\\u2029',
  ranges: [[10, 13], [0x85, 0x85], [0x2028, 0x2029]],
};

/** The shorthand escapes \d \D \w \W \s \S \h \H \v \V. */
export function shorthand(letter: string): ClassItem | undefined {
  const base = { d: DIGIT, w: WORD, s: SPACE, h: HSPACE, v: VSPACE }[letter.toLowerCase()];
  if (!base) return undefined;
  return letter === letter.toLowerCase() ? base : { negated: base };
}

const range = (lo: string, hi: string): [number, number] => [lo.charCodeAt(0), hi.charCodeAt(0)];

const POSIX: Record<string, SetItem> = {
  alpha: { inner: 'A-Za-z', ranges: [range('A', 'Z'), range('a', 'z')] },
  digit: DIGIT,
  alnum: { inner: '0-9A-Za-z', ranges: [range('0', '9'), range('A', 'Z'), range('a', 'z')] },
  upper: { inner: 'A-Z', ranges: [range('A', 'Z')] },
  lower: { inner: 'a-z', ranges: [range('a', 'z')] },
  space: SPACE,
  blank: { inner: '\\t ', ranges: [[9, 9], [32, 32]] },
  punct: { inner: '!-\\/:-@\\[-`{-~', ranges: [range('!', '/'), range(':', '@'), range('[', '`'), range('{', '~')] },
  xdigit: { inner: '0-9A-Fa-f', ranges: [range('0', '9'), range('A', 'F'), range('a', 'f')] },
  word: WORD,
  cntrl: { inner: '\\0-\\x1F\\x7F', ranges: [[0, 31], [127, 127]] },
  print: { inner: ' -~', ranges: [[32, 126]] },
  graph: { inner: '!-~', ranges: [[33, 126]] },
  ascii: { inner: '\\0-\\x7F', ranges: [[0, 127]] },
};

/** `[:name:]` or `[:^name:]` inside a class. */
export function posixClass(name: string, negate: boolean): ClassItem | undefined {
  const item = Object.hasOwn(POSIX, name) ? POSIX[name] : undefined;
  if (!item) return undefined;
  return negate ? { negated: item } : item;
}

const CATEGORIES = new Set(
  'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);
/** Categories whose meaning PCRE keeps under caseless matching while JavaScript folds them. */
const CASED_CATEGORIES = new Set(['Lu', 'Ll', 'Lt', 'L&']);

/**
 * `\p{name}` / `\P{name}` / `\p{^name}`: general categories and scripts, as
 * PCRE names them. Returns an error message for anything else.
 */
export function property(name: string, negate: boolean, caseless: boolean): ClassItem | string {
  const bare = name.startsWith('^') ? name.slice(1) : name;
  const not = negate !== name.startsWith('^');
  if (caseless && CASED_CATEGORIES.has(bare)) {
    return `\\p{${bare}} with case-insensitive matching means different things in PCRE and JavaScript`;
  }
  const item = propertyItem(bare);
  if (!item) return `Unicode property \\p{${bare}} is not supported (general categories and scripts are)`;
  return not ? { negated: item } : item;
}

function propertyItem(name: string): SetItem | undefined {
  const anything = (inner: string): SetItem => ({ inner, ranges: [[0, 0x10ffff]], approx: true });
  if (name === 'Any') return anything('\\0-\\u{10FFFF}');
  if (name === 'L&') return anything('\\p{Lu}\\p{Ll}\\p{Lt}');
  if (CATEGORIES.has(name)) return anything(`\\p{${name}}`);
  if (!/^[A-Z][A-Za-z_]*$/.test(name)) return undefined;
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
  } catch {
    return undefined;
  }
  return anything(`\\p{Script=${name}}`);
}

/** Characters with a meaning of their own in a JavaScript `u`-mode pattern, outside and inside classes. */
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const CLASS_SYNTAX = new Set([...'\\]-[^']);

export function escapeLiteral(code: number): string {
  const ch = String.fromCodePoint(code);
  if (SYNTAX.has(ch)) return `\\${ch}`;
  return controlEscape(code) ?? ch;
}

export function escapeInClass(code: number): string {
  const ch = String.fromCodePoint(code);
  if (CLASS_SYNTAX.has(ch)) return `\\${ch}`;
  return controlEscape(code) ?? ch;
}

/** Control and separator characters written as escapes, so emitted sources stay printable. */
function controlEscape(code: number): string | undefined {
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code === 0x2028 || code === 0x2029) return `\\u${code.toString(16)}`;
  return undefined;
}

/**
 * A class as one character atom. Items that are complements in PCRE's sense
 * (`\S` is "not ASCII space") have no JavaScript class escape, so a class with
 * them becomes an alternation of classes (or, negated, an intersection).
 */
export function classNode(items: ClassItem[], negate: boolean): Node {
  const plain = items.filter((i): i is SetItem => !('negated' in i));
  const complements = items.filter((i): i is { negated: SetItem } => 'negated' in i).map((i) => i.negated);
  const inner = plain.map((i) => i.inner).join('');
  const ranges = union(plain.map((i) => i.ranges));
  const approx = plain.some((i) => i.approx) || complements.length > 0;

  if (!negate) {
    const parts = [...(plain.length ? [`[${inner}]`] : []), ...complements.map((c) => `[^${c.inner}]`)];
    const js = parts.length === 1 ? (parts[0] as string) : `(?:${parts.join('|')})`;
    return { type: 'char', js, ranges: complements.length ? [[0, 0x10ffff]] : ranges };
  }
  if (complements.length === 0) {
    return { type: 'char', js: `[^${inner}]`, ranges: approx ? [[0, 0x10ffff]] : complement(ranges) };
  }
  // [^a\S] is "a space that is not a": inside every complemented set, outside the plain items.
  const guards = [...(plain.length ? [`(?![${inner}])`] : []), ...complements.slice(1).map((c) => `(?=[${c.inner}])`)];
  const last = complements[0] as SetItem;
  return { type: 'char', js: `(?:${guards.join('')}[${last.inner}])`, ranges: last.ranges };
}

function union(sets: Ranges[]): Ranges {
  const all = sets.flat().sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of all) {
    const prev = out[out.length - 1];
    if (prev && lo <= prev[1] + 1) prev[1] = Math.max(prev[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}
