/**
 * One `field|modifier|...: value(s)` entry of a selection, compiled into a
 * closure. A list of values is OR unless the `all` modifier makes it AND.
 */

import { ENCODERS } from './encode.js';
import { RuleSyntaxError, type PathSeg } from './errors.js';
import { compileGetter, type Getter } from './fields.js';
import { hasWildcard, parseSigmaString, plainText } from './strings.js';
import {
  isNullish,
  MATCH_TYPES,
  plainTests,
  RE_FLAGS,
  specialTests,
  stringForm,
  type ResolvedTest,
  type Scalar,
} from './value-tests.js';

export type Matcher = (doc: Record<string, unknown>) => boolean;

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

function existsMatcher(getter: Getter, values: Scalar[], path: PathSeg[]): Matcher {
  const want = values[0];
  if (values.length !== 1 || typeof want !== 'boolean') throw new RuleSyntaxError(path, 'exists takes true or false');
  return (doc) => !isNullish(getter(doc)) === want;
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
