/**
 * Sigma string values: `*` and `?` are wildcards, and a backslash escapes
 * only `*`, `?` and itself (any other backslash is literal, so Windows paths
 * need no doubling). Matching is case-insensitive unless `cased` is set.
 */

export type Piece = { kind: 'lit'; text: string } | { kind: 'star' } | { kind: 'one' };

export type StringTest = (s: string) => boolean;

export function parseSigmaString(raw: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  const flush = () => {
    if (text) pieces.push({ kind: 'lit', text });
    text = '';
  };

  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    const next = raw[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      text += next;
      i++;
    } else if (c === '*' || c === '?') {
      flush();
      pieces.push({ kind: c === '*' ? 'star' : 'one' });
    } else {
      text += c;
    }
  }
  flush();
  return pieces;
}

export function literal(text: string): Piece[] {
  return text ? [{ kind: 'lit', text }] : [];
}

export function hasWildcard(pieces: Piece[]): boolean {
  return pieces.some((p) => p.kind !== 'lit');
}

/** The literal text of pieces without wildcards. */
export function plainText(pieces: Piece[]): string {
  return pieces.map((p) => (p.kind === 'lit' ? p.text : '')).join('');
}

/** Compile once: plain comparisons where the shape allows, one anchored regex otherwise. */
export function compileStringTest(input: Piece[], cased: boolean): StringTest {
  const pieces = collapseStars(input);
  const shape = pieces.map((p) => (p.kind === 'lit' ? 'L' : p.kind === 'star' ? '*' : '?')).join('');
  const first = pieces.find((p) => p.kind === 'lit');
  const needle = first && first.kind === 'lit' ? first.text : '';
  const n = cased ? needle : needle.toLowerCase();
  const fold = cased ? (s: string) => s : lower;

  switch (shape) {
    case '':
      return (s) => s === '';
    case '*':
      return () => true;
    case 'L':
      if (cased) return (s) => s === n;
      // Lowercasing never shortens a string, and lengthens one only with non-ASCII output,
      // so an ASCII needle can only equal a value of its own length.
      return /^[\x00-\x7f]*$/.test(n)
        ? (s) => s.length === n.length && (s === needle || lower(s) === n)
        : (s) => s === needle || lower(s) === n;
    case '*L*':
      return (s) => fold(s).includes(n);
    case 'L*':
      return (s) => fold(s).startsWith(n);
    case '*L':
      return (s) => fold(s).endsWith(n);
    default:
      return regexTest(pieces, cased);
  }
}

/**
 * Many rules test the same few fields of one event (user agent, ARN), so the
 * lowercased forms of recent values are kept; the cache is cleared when full.
 */
const lowered = new Map<string, string>();
const LOWERED_MAX = 512;

let lastIn = '';
let lastOut = '';

export function lower(s: string): string {
  if (s === lastIn) return lastOut;
  let out = lowered.get(s);
  if (out === undefined) {
    out = s.toLowerCase();
    if (lowered.size >= LOWERED_MAX) lowered.clear();
    lowered.set(s, out);
  }
  lastIn = s;
  lastOut = out;
  return out;
}

function collapseStars(pieces: Piece[]): Piece[] {
  return pieces.filter((p, i) => !(p.kind === 'star' && pieces[i - 1]?.kind === 'star'));
}

function regexTest(pieces: Piece[], cased: boolean): StringTest {
  const body = pieces
    .map((p) => (p.kind === 'lit' ? escapeRegex(p.text) : p.kind === 'star' ? '.*' : '.'))
    .join('');
  const re = new RegExp(`^${body}$`, cased ? 'su' : 'siu');
  return (s) => re.test(s);
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
