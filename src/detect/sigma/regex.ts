/**
 * The `re` modifier. Sigma regexes are PCRE-flavoured, unanchored and
 * case-sensitive unless `i` is given. Two rewrites keep evaluation cheap
 * without changing which values match: a literal every match must contain is
 * checked with `includes` before the regex runs, and leading/trailing `.*`
 * and `.+` are reduced so V8 does not backtrack from every start position.
 */

import { lower } from './strings.js';

const FLAGS = new Set(['i', 'm', 's']);

export function compileRegex(source: string, modifierFlags: string[]): (text: string) => boolean {
  // PCRE-style leading flags, `(?i)` and the like, are common in Sigma rules; JavaScript has no such syntax.
  const inline = /^\(\?([a-z]+)\)/.exec(source);
  const inlineFlags = [...(inline?.[1] ?? '')];
  const unknown = inlineFlags.find((f) => !FLAGS.has(f));
  if (unknown) throw new Error(`inline regex flag "${unknown}" is not supported (only i, m, s)`);

  const body = source.slice(inline?.[0].length ?? 0);
  const flags = [...new Set([...modifierFlags, ...inlineFlags])].join('');
  let re: RegExp;
  try {
    re = new RegExp(linearEdges(body), flags);
  } catch (err: unknown) {
    throw new Error(`regular expression not supported by JavaScript: ${(err as Error).message}`);
  }

  const needle = requiredLiteral(body);
  if (!needle) return (text) => re.test(text);
  if (!flags.includes('i')) return (text) => text.includes(needle) && re.test(text);
  // Lowercasing agrees with the regex's case folding for ASCII only.
  if (!/^[\x00-\x7f]+$/.test(needle)) return (text) => re.test(text);
  const lowered = needle.toLowerCase();
  return (text) => lower(text).includes(lowered) && re.test(text);
}

/**
 * An unanchored search for `.+X` backtracks from every start position,
 * quadratic in the value's length; `.X` matches exactly the same values in
 * linear time. A leading `.*` and a trailing `.*` or `.+` reduce the same
 * way. Patterns with alternation or lookbehind are left as written, since
 * there the edge may not belong to the whole pattern.
 */
export function linearEdges(source: string): string {
  if (source.includes('|') || source.includes('(?<')) return source;
  let out = source;
  const lead = /^\.([*+])\??/.exec(out);
  if (lead) out = (lead[1] === '+' ? '.' : '') + out.slice(lead[0].length);
  const trail = /\.([*+])\??$/.exec(out);
  if (trail && !escapedAt(out, trail.index)) out = out.slice(0, trail.index) + (trail[1] === '+' ? '.' : '');
  return out;
}

function escapedAt(text: string, index: number): boolean {
  let slashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/**
 * The longest run of plain characters outside groups and classes that every
 * match contains, or '' when there is none or the pattern is too involved to
 * tell (alternation anywhere). A character made optional by `?`, `*` or `{`
 * does not count.
 */
export function requiredLiteral(source: string): string {
  if (source.includes('|')) return '';
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    const quantifier = c === '{' ? /^\{(\d+)(,\d*)?\}/.exec(source.slice(i)) : null;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/^[^A-Za-z0-9]$/.test(next)) run += next;
      else end();
      i = escapeEnd(source, i);
    } else if (c === '(' || c === '[') {
      end();
      i = skipGroup(source, i);
    } else if (quantifier) {
      if (quantifier[1] === '0' || Number(quantifier[1]) === 0) run = run.slice(0, -1);
      end();
      i += quantifier[0].length - 1;
    } else if (c === '?' || c === '*') {
      run = run.slice(0, -1);
      end();
    } else if (/[.^$+)\]]/.test(c)) {
      end();
    } else {
      run += c;
    }
  }
  end();
  return best;
}

/** The index of the last character of the escape sequence starting at `start` (a backslash). */
function escapeEnd(source: string, start: number): number {
  const kind = source[start + 1] ?? '';
  const rest = source.slice(start + 2);
  if (kind === 'x') return start + 1 + (/^[0-9a-fA-F]{2}/.test(rest) ? 2 : 0);
  if (kind === 'u') return start + 1 + (/^[0-9a-fA-F]{4}/.test(rest) ? 4 : 0);
  if (kind === 'c') return start + 2;
  if (/\d/.test(kind)) return start + 1 + (/^\d*/.exec(rest)?.[0].length ?? 0);
  if (kind === 'k' && rest.startsWith('<')) return start + 2 + rest.indexOf('>');
  return start + 1;
}

/** The index of the bracket closing the group or class opened at `start`. */
function skipGroup(source: string, start: number): number {
  if (source[start] === '[') {
    for (let i = start + 1; i < source.length; i++) {
      if (source[i] === '\\') i++;
      else if (source[i] === ']' && i > start + 1) return i;
    }
    return source.length;
  }
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = skipGroup(source, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return source.length;
}
