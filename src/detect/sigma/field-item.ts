/**
 * One `field|modifier|...: value(s)` entry of a selection, compiled into a
 * closure. A list of values is OR unless the `all` modifier makes it AND.
 */

import { cidrMatcher, parseCidr } from './cidr.js';
import { applyEncoder, ENCODERS, piecesOf, type Variant } from './encode.js';
import { RuleSyntaxError, type PathSeg } from './errors.js';
import { compileRegex } from './regex.js';
import { anyLeaf, compileGetter, MISSING, Multi, type Getter } from './fields.js';
import { compileStringTest, hasWildcard, lower, parseSigmaString, plainText, type Piece, type StringTest } from './strings.js';

export type Matcher = (doc: Record<string, unknown>) => boolean;

/** Tests what a getter returned (a value, MISSING or Multi); the document is there for fieldref. */
type ResolvedTest = (resolved: unknown, doc: Record<string, unknown>) => boolean;

type Scalar = string | number | boolean | null;

/**
 * A rule that is one string test on one field: the index can read the field
 * once per event and call each such rule's test on it directly.
 */
export interface Probe {
  getter: Getter;
  field: string;
  onString: (s: string) => boolean;
}

export interface FieldItem {
  field: string;
  match: Matcher;
  probe?: Probe;
  /** Lowercased values the field must equal, when the entry is a plain equality test. */
  pinned?: string[];
}

const MATCH_TYPES = new Set(['contains', 'startswith', 'endswith']);
const RE_FLAGS = new Set(['i', 'm', 's']);
const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte']);

/** For each modifier that changes what the entry means, the modifiers it may be combined with. */
const COMPANIONS: Record<string, Set<string>> = {
  exists: new Set(),
  gt: new Set(),
  gte: new Set(),
  lt: new Set(),
  lte: new Set(),
  cidr: new Set(['all']),
  re: new Set(['i', 'm', 's', 'all']),
  fieldref: new Set(['contains', 'startswith', 'endswith', 'cased', 'all']),
};

const KNOWN = new Set([...Object.keys(COMPANIONS), ...MATCH_TYPES, ...RE_FLAGS, ...ENCODERS, 'all', 'cased']);

export function compileFieldItem(key: string, raw: unknown, path: PathSeg[]): FieldItem {
  const [field = '', ...mods] = key.split('|');
  if (field === '') throw new RuleSyntaxError(path, 'modifiers without a field name are not supported');
  checkModifiers(mods, path);

  const values = toValues(raw, path);
  const getter = compileGetter(field);
  const special = mods.find((m) => m in COMPANIONS);
  const all = mods.includes('all');

  if (special === 'exists') return { field, match: existsMatcher(getter, values, path) };
  const tests = special ? specialTests(special, mods, values, path) : plainTests(mods, values, path);
  const item: FieldItem = { field, match: combine(field, getter, tests, all) };
  const onString = stringForm(tests, all);
  if (onString) item.probe = { getter, field, onString };
  const pinned = special ? undefined : pinnedValues(mods, values);
  if (pinned) item.pinned = pinned;
  return item;
}

function checkModifiers(mods: string[], path: PathSeg[]): void {
  const seen = new Set<string>();
  for (const mod of mods) {
    if (mod === 'expand') throw new RuleSyntaxError(path, 'the expand modifier (placeholders) is not supported');
    if (!KNOWN.has(mod)) throw new RuleSyntaxError(path, `unknown modifier "${mod}"`);
    if (seen.has(mod)) throw new RuleSyntaxError(path, `modifier "${mod}" given twice`);
    seen.add(mod);
  }

  const special = mods.filter((m) => m in COMPANIONS);
  if (special.length > 1) throw new RuleSyntaxError(path, `modifiers ${special.join(' and ')} cannot be combined`);
  const head = special[0];
  const allowed = head ? (COMPANIONS[head] as Set<string>) : undefined;
  for (const mod of mods) {
    if (mod === head) continue;
    if (allowed && !allowed.has(mod)) throw new RuleSyntaxError(path, `modifier "${mod}" cannot be used with ${head}`);
    if (!allowed && RE_FLAGS.has(mod)) throw new RuleSyntaxError(path, `modifier "${mod}" only applies to re`);
  }
  if (mods.filter((m) => MATCH_TYPES.has(m)).length > 1) {
    throw new RuleSyntaxError(path, 'only one of contains, startswith, endswith may be given');
  }
}

function toValues(raw: unknown, path: PathSeg[]): Scalar[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new RuleSyntaxError(path, 'an empty list of values matches nothing; remove the entry');
  return list.map((value, i) => {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Scalar;
    throw new RuleSyntaxError(Array.isArray(raw) ? [...path, i] : path, 'a value must be a string, number, boolean or null');
  });
}

/** The plain string test behind a ResolvedTest, for values that are a string. */
const STRING_FORM = new WeakMap<ResolvedTest, (s: string) => boolean>();

/**
 * Most fields hold a string (eventName, userAgent, userIdentity.arn). When
 * every test has a plain string form, a string value goes straight to it and
 * skips the walk over arrays and objects; anything else takes the general path.
 */
function combine(field: string, getter: Getter, tests: ResolvedTest[], all: boolean): Matcher {
  const general = (resolved: unknown, doc: Record<string, unknown>): boolean => {
    for (const test of tests) if (test(resolved, doc) !== all) return !all;
    return all;
  };
  const onString = stringForm(tests, all);
  if (!onString) return (doc) => general(getter(doc), doc);
  if (field.includes('.')) {
    return (doc) => {
      const value = getter(doc);
      return typeof value === 'string' ? onString(value) : general(value, doc);
    };
  }
  // Object.prototype holds no strings, so a plain read is safe for the string case.
  return (doc) => {
    const value = doc[field];
    return typeof value === 'string' ? onString(value) : general(getter(doc), doc);
  };
}

/** The whole entry as one test of a string value, when every test has a string form. */
function stringForm(tests: ResolvedTest[], all: boolean): ((s: string) => boolean) | undefined {
  const forms = tests.map((t) => STRING_FORM.get(t));
  if (!forms.every((f) => f !== undefined)) return undefined;
  const strs = forms as Array<(s: string) => boolean>;
  if (strs.length === 1) return strs[0];
  return (value) => {
    for (const test of strs) if (test(value) !== all) return !all;
    return all;
  };
}

function isNullish(resolved: unknown): boolean {
  if (resolved === MISSING || resolved === null) return true;
  return resolved instanceof Multi && resolved.values.includes(null);
}

/** The text form of an event scalar: numbers and booleans compare as they print. */
function textOf(scalar: unknown): string | undefined {
  if (typeof scalar === 'string') return scalar;
  if (typeof scalar === 'number' || typeof scalar === 'boolean') return String(scalar);
  return undefined;
}

function leafTest(test: (scalar: unknown) => boolean, onString?: (s: string) => boolean): ResolvedTest {
  const resolvedTest: ResolvedTest = (resolved) => resolved !== MISSING && anyLeaf(resolved, test);
  if (onString) STRING_FORM.set(resolvedTest, onString);
  return resolvedTest;
}

function existsMatcher(getter: Getter, values: Scalar[], path: PathSeg[]): Matcher {
  const want = values[0];
  if (values.length !== 1 || typeof want !== 'boolean') throw new RuleSyntaxError(path, 'exists takes true or false');
  return (doc) => !isNullish(getter(doc)) === want;
}

function plainTests(mods: string[], values: Scalar[], path: PathSeg[]): ResolvedTest[] {
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
    const stringTests = variants.map((v) => compileStringTest(wrap(piecesOf(v), matchType), cased));
    const onString = stringTests.length === 1 ? (stringTests[0] as StringTest) : (t: string) => stringTests.some((x) => x(t));
    return leafTest(anyString(stringTests), onString);
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

/** A YAML number or boolean matches the same value or its string form ("5", "5.0", "TRUE"). */
function scalarTest(value: number | boolean): ResolvedTest {
  if (typeof value === 'boolean') {
    const word = String(value);
    return leafTest((s) => s === value || (typeof s === 'string' && s.toLowerCase() === word));
  }
  return leafTest((s) => {
    if (typeof s === 'number') return s === value;
    return typeof s === 'string' && s.trim() !== '' && Number(s) === value;
  });
}

function specialTests(special: string, mods: string[], values: Scalar[], path: PathSeg[]): ResolvedTest[] {
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
  const limit = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(limit)) throw new RuleSyntaxError(path, `${op} takes a number`);
  const holds =
    op === 'gt' ? (n: number) => n > limit
    : op === 'gte' ? (n: number) => n >= limit
    : op === 'lt' ? (n: number) => n < limit
    : (n: number) => n <= limit;

  return leafTest((s) => {
    const n = typeof s === 'number' ? s : typeof s === 'string' && s.trim() !== '' ? Number(s) : NaN;
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
    throw new RuleSyntaxError(path, (err as Error).message);
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
    return anyLeaf(resolved, (s) => {
      const text = textOf(s);
      return text !== undefined && others.some((o) => compare(fold(text), o));
    });
  };
}

function texts(resolved: unknown): string[] {
  const out: string[] = [];
  if (resolved === MISSING) return out;
  anyLeaf(resolved, (s) => {
    const text = textOf(s);
    if (text !== undefined) out.push(text);
    return false;
  });
  return out;
}

function pinnedValues(mods: string[], values: Scalar[]): string[] | undefined {
  if (mods.some((m) => m !== 'cased') && !(mods.length === 1 && mods[0] === 'all' && values.length === 1)) return undefined;
  const out: string[] = [];
  for (const value of values) {
    if (typeof value !== 'string') return undefined;
    const pieces = parseSigmaString(value);
    if (hasWildcard(pieces)) return undefined;
    out.push(plainText(pieces).toLowerCase());
  }
  return out;
}
