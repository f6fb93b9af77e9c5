/**
 * The tests behind a field entry, one per value: plain and wildcard strings
 * (with encodings), numbers and booleans, null, and the value-changing
 * modifiers `gt`/`gte`/`lt`/`lte`, `cidr`, `re` and `fieldref`. Each test
 * takes what a getter returned (a value, MISSING or Multi); a test that has a
 * plain string form registers it, so string values can skip the walk.
 */

import { cidrMatcher, parseCidr } from './cidr.js';
import { applyEncoder, ENCODERS, piecesOf, type Variant } from './encode.js';
import { RuleSyntaxError, type PathSeg } from './errors.js';
import { anyElement, anyLeaf, compileGetter, MISSING, Multi } from './fields.js';
import { RegexRefused } from './pcre-parse.js';
import { compileRegex } from './regex.js';
import { compileStringTest, hasWildcard, lower, parseSigmaString, plainText, type Piece, type StringTest } from './strings.js';

/** Tests what a getter returned; the document is there for fieldref. */
export type ResolvedTest = (resolved: unknown, doc: Record<string, unknown>) => boolean;

export type Scalar = string | number | boolean | null;

export const MATCH_TYPES = new Set(['contains', 'startswith', 'endswith']);
export const RE_FLAGS = new Set(['i', 'm', 's']);
const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte']);

/** The plain string test behind a ResolvedTest, for values that are a string. */
const STRING_FORM = new WeakMap<ResolvedTest, (s: string) => boolean>();

/** The whole entry as one test of a string value, when every test has a string form. */
export function stringForm(tests: ResolvedTest[], all: boolean): ((s: string) => boolean) | undefined {
  const forms = tests.map((t) => STRING_FORM.get(t));
  if (!forms.every((f) => f !== undefined)) return undefined;
  const strs = forms as Array<(s: string) => boolean>;
  if (strs.length === 1) return strs[0];
  return (value) => {
    for (const test of strs) if (test(value) !== all) return !all;
    return all;
  };
}

export function isNullish(resolved: unknown): boolean {
  if (resolved === MISSING || resolved === null) return true;
  return resolved instanceof Multi && resolved.values.includes(null);
}

/** The text form of an event scalar: numbers and booleans compare as they print. */
function textOf(scalar: unknown): string | undefined {
  if (typeof scalar === 'string') return scalar;
  if (typeof scalar === 'number' || typeof scalar === 'boolean') return String(scalar);
  return undefined;
}

/**
 * A test of every value the field holds: each element of an array, and, for
 * `contains` only, each leaf of an object (SigmaHQ rules such as
 * `responseElements|contains: Failure` search an object that way). An
 * object is never equal to, nor starts or ends with, a string.
 */
function leafTest(test: (scalar: unknown) => boolean, onString?: (s: string) => boolean, intoObjects = false): ResolvedTest {
  const walk = intoObjects ? anyLeaf : anyElement;
  const resolvedTest: ResolvedTest = (resolved) => resolved !== MISSING && walk(resolved, test);
  if (onString) STRING_FORM.set(resolvedTest, onString);
  return resolvedTest;
}

export function plainTests(mods: string[], values: Scalar[], path: PathSeg[]): ResolvedTest[] {
  const cased = mods.includes('cased');
  const encoders = mods.filter((m) => ENCODERS.has(m));
  const matchType = mods.find((m) => MATCH_TYPES.has(m));
  const typed = encoders.length > 0 || matchType !== undefined;

  // Several plain names (an eventName list) become one lowercase set lookup.
  const grouped = typed || cased || mods.includes('all') ? [] : values.filter(isPlainString);
  const rest = grouped.length > 1 ? values.filter((v) => !grouped.includes(v as string)) : values;
  const tests = rest.map((value) => {
    const i = values.indexOf(value);
    const at = values.length > 1 ? [...path, i] : path;
    if (value === null) {
      if (mods.some((m) => m !== 'all')) throw new RuleSyntaxError(at, 'null cannot take modifiers');
      return isNullish;
    }
    if (typeof value !== 'string' && !typed) return scalarTest(value);

    let variants: Variant[] = [{ pieces: parseSigmaString(String(value)) }];
    for (const encoder of encoders) variants = applyEncoder(encoder, variants, at);
    // Base64 text is case-significant: "QQ" and "qq" are different bytes.
    const exactCase = cased || encoders.some((e) => e.startsWith('base64'));
    const stringTests = variants.map((v) => compileStringTest(wrap(piecesOf(v), matchType), exactCase));
    const onString = stringTests.length === 1 ? (stringTests[0] as StringTest) : (t: string) => stringTests.some((x) => x(t));
    return leafTest(anyString(stringTests), onString, matchType === 'contains');
  });
  return grouped.length > 1 ? [setTest(grouped), ...tests] : tests;
}

function isPlainString(value: Scalar): value is string {
  return typeof value === 'string' && !hasWildcard(parseSigmaString(value));
}

function setTest(values: string[]): ResolvedTest {
  const wanted = new Set(values.map((v) => plainText(parseSigmaString(v)).toLowerCase()));
  const onString = (text: string) => wanted.has(lower(text));
  return leafTest((s) => {
    const text = textOf(s);
    return text !== undefined && onString(text);
  }, onString);
}

function wrap(pieces: Piece[], matchType: string | undefined): Piece[] {
  const star: Piece = { kind: 'star' };
  if (matchType === 'contains') return [star, ...pieces, star];
  if (matchType === 'startswith') return [...pieces, star];
  if (matchType === 'endswith') return [star, ...pieces];
  return pieces;
}

function anyString(tests: StringTest[]): (scalar: unknown) => boolean {
  const only = tests.length === 1 ? tests[0] : undefined;
  return (scalar) => {
    const text = textOf(scalar);
    if (text === undefined) return false;
    return only ? only(text) : tests.some((t) => t(text));
  };
}

/**
 * A YAML number or boolean matches the same value or the string it prints
 * as ("5", "true" in any case), as pySigma compares them. Other spellings of
 * the number ("05", "5.0", "0x5", " 5") are different strings and do not match.
 */
function scalarTest(value: number | boolean): ResolvedTest {
  const word = String(value);
  if (typeof value === 'boolean') {
    return leafTest((s) => s === value || (typeof s === 'string' && s.toLowerCase() === word));
  }
  return leafTest((s) => s === value || s === word);
}

/** A decimal number written out: no hex, no padding, no "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a rule or event value stands for, or NaN. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : NaN;
}

export function specialTests(special: string, mods: string[], values: Scalar[], path: PathSeg[]): ResolvedTest[] {
  return values.map((value, i) => {
    const at = values.length > 1 ? [...path, i] : path;
    if (NUMERIC.has(special)) return numericTest(special, value, at);
    if (typeof value !== 'string') throw new RuleSyntaxError(at, `${special} takes a string`);
    if (special === 'cidr') return cidrTest(value, at);
    if (special === 're') return regexTest(value, mods, at);
    return fieldrefTest(value, mods);
  });
}

function numericTest(op: string, value: Scalar, path: PathSeg[]): ResolvedTest {
  const limit = numberOf(value);
  if (!Number.isFinite(limit)) throw new RuleSyntaxError(path, `${op} takes a number`);
  const holds =
    op === 'gt' ? (n: number) => n > limit
    : op === 'gte' ? (n: number) => n >= limit
    : op === 'lt' ? (n: number) => n < limit
    : (n: number) => n <= limit;

  return leafTest((s) => {
    const n = numberOf(s);
    return Number.isFinite(n) && holds(n);
  });
}

function cidrTest(value: string, path: PathSeg[]): ResolvedTest {
  const cidr = parseCidr(value);
  if (!cidr) throw new RuleSyntaxError(path, `"${value}" is not an IPv4 or IPv6 CIDR`);
  const onString = cidrMatcher(cidr);
  return leafTest((s) => typeof s === 'string' && onString(s), onString);
}

function regexTest(value: string, mods: string[], path: PathSeg[]): ResolvedTest {
  let onString: (text: string) => boolean;
  try {
    onString = compileRegex(value, mods.filter((m) => RE_FLAGS.has(m)));
  } catch (err: unknown) {
    if (!(err instanceof RegexRefused)) throw err;
    throw new RuleSyntaxError(path, `regular expression '${value}': ${err.message}`);
  }
  return leafTest((s) => {
    const text = textOf(s);
    return text !== undefined && onString(text);
  }, onString);
}

function fieldrefTest(other: string, mods: string[]): ResolvedTest {
  const getOther = compileGetter(other);
  const cased = mods.includes('cased');
  const fold = (s: string) => (cased ? s : s.toLowerCase());
  const compare =
    mods.includes('contains') ? (a: string, b: string) => a.includes(b)
    : mods.includes('startswith') ? (a: string, b: string) => a.startsWith(b)
    : mods.includes('endswith') ? (a: string, b: string) => a.endsWith(b)
    : (a: string, b: string) => a === b;

  return (resolved, doc) => {
    if (resolved === MISSING) return false;
    const others = texts(getOther(doc)).map(fold);
    return anyElement(resolved, (s) => {
      const text = textOf(s);
      return text !== undefined && others.some((o) => compare(fold(text), o));
    });
  };
}

function texts(resolved: unknown): string[] {
  const out: string[] = [];
  if (resolved === MISSING) return out;
  anyElement(resolved, (s) => {
    const text = textOf(s);
    if (text !== undefined) out.push(text);
    return false;
  });
  return out;
}
