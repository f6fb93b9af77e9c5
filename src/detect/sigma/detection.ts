/**
 * The `detection` section compiled into one closure, plus what the rule pins:
 * for each indexed field, the finite set of values every way through the
 * condition requires (absent when some way through does not pin it).
 */

import { RuleSyntaxError, type PathSeg } from './errors.js';
import { ConditionError, expandPattern, parseCondition, type Cond } from './condition.js';
import { compileFieldItem, type Matcher, type Probe } from './field-item.js';
import { anyLeaf } from './fields.js';
import { compileStringTest, parseSigmaString, type StringTest } from './strings.js';

/** Fields the rule set index looks up: CloudTrail's event name and source, a finding's type. */
export const INDEX_FIELDS = ['eventName', 'type', 'eventSource'] as const;

/** Field → the lowercased values the rule needs it to hold. */
export type Pins = Map<string, Set<string>>;

export interface CompiledDetection {
  match: Matcher;
  pins: Pins;
  /** Set when the whole detection is one string test on one field. */
  probe?: Probe;
}

type Selection = CompiledDetection;

const RESERVED = new Set(['condition', 'timeframe']);

export function compileDetection(detection: unknown, path: PathSeg[]): CompiledDetection {
  if (!isMap(detection)) throw new RuleSyntaxError(path, 'detection must be a map of selections and a condition');
  if ('timeframe' in detection) {
    throw new RuleSyntaxError([...path, 'timeframe'], 'timeframe (aggregation over time) is not supported');
  }

  const selections = new Map<string, Selection>();
  for (const [name, value] of Object.entries(detection)) {
    if (!RESERVED.has(name)) selections.set(name, compileSelection(value, [...path, name]));
  }
  if (selections.size === 0) throw new RuleSyntaxError(path, 'detection defines no selection');

  const conditions = conditionTexts(detection.condition, [...path, 'condition']);
  const compiled = conditions.map((text, i) => {
    const at = conditions.length > 1 ? [...path, 'condition', i] : [...path, 'condition'];
    return compileCondition(parse(text, at), selections, at);
  });
  return compiled.length === 1 ? (compiled[0] as CompiledDetection) : anyOf(compiled);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function conditionTexts(value: unknown, path: PathSeg[]): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  throw new RuleSyntaxError(path, 'condition is required: a string, or a list of strings (any of them)');
}

function parse(text: string, path: PathSeg[]): Cond {
  try {
    return parseCondition(text);
  } catch (err: unknown) {
    if (err instanceof ConditionError) throw new RuleSyntaxError(path, err.message);
    throw err;
  }
}

function compileSelection(value: unknown, path: PathSeg[]): Selection {
  if (isMap(value)) return compileMap(value, path);
  if (typeof value === 'string' || typeof value === 'number') return keywords([value], path);
  if (!Array.isArray(value) || value.length === 0) {
    throw new RuleSyntaxError(path, 'a selection is a map of fields, a list of maps, or a list of keywords');
  }

  const words = value.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  const parts = value.flatMap((v, i) => (isMap(v) ? [compileMap(v, [...path, i])] : []));
  if (words.length + parts.length !== value.length) {
    const bad = value.findIndex((v) => !isMap(v) && typeof v !== 'string' && typeof v !== 'number');
    throw new RuleSyntaxError([...path, bad], 'a list in a selection holds maps or keywords (strings)');
  }
  if (words.length > 0) parts.push(keywords(words, path));
  return parts.length === 1 ? (parts[0] as Selection) : anyOf(parts);
}

function compileMap(map: Record<string, unknown>, path: PathSeg[]): Selection {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new RuleSyntaxError(path, 'an empty map matches everything; say what to match');

  const items = entries.map(([key, value]) => compileFieldItem(key, value, [...path, key]));
  const pins: Pins = new Map();
  for (const item of items) {
    if (item.pinned && (INDEX_FIELDS as readonly string[]).includes(item.field)) {
      pins.set(item.field, new Set(item.pinned));
    }
  }
  const only = items.length === 1 ? items[0] : undefined;
  return only?.probe ? { match: only.match, pins, probe: only.probe } : { match: allOf(items.map((i) => i.match)), pins };
}

/**
 * Unfielded keywords: each is searched, case-insensitively and as a
 * substring, in every value of the event; numbers and booleans are searched
 * as they print, so a keyword 5 finds `"count": 5`.
 */
function keywords(words: Array<string | number>, path: PathSeg[]): Selection {
  const tests: StringTest[] = words.map((word) => {
    if (word === '') throw new RuleSyntaxError(path, 'an empty keyword matches everything');
    return compileStringTest([{ kind: 'star' }, ...parseSigmaString(String(word)), { kind: 'star' }], false);
  });
  const hit = (s: unknown) => {
    const text = typeof s === 'string' ? s : typeof s === 'number' || typeof s === 'boolean' ? String(s) : undefined;
    return text !== undefined && tests.some((t) => t(text));
  };
  return { match: (doc) => anyLeaf(doc, hit), pins: new Map() };
}

function compileCondition(cond: Cond, selections: Map<string, Selection>, path: PathSeg[]): Selection {
  switch (cond.op) {
    case 'ref': {
      const found = selections.get(cond.name);
      if (!found) throw new RuleSyntaxError(path, `the condition names "${cond.name}", which detection does not define`);
      return found;
    }
    case 'not': {
      const inner = compileCondition(cond.arg, selections, path).match;
      return { match: (doc) => !inner(doc), pins: new Map() };
    }
    case 'and':
      return allOfSelections(cond.args.map((a) => compileCondition(a, selections, path)));
    case 'or':
      return anyOf(cond.args.map((a) => compileCondition(a, selections, path)));
    case 'of':
      return compileOf(cond, selections, path);
  }
}

function compileOf(cond: Extract<Cond, { op: 'of' }>, selections: Map<string, Selection>, path: PathSeg[]): Selection {
  const names = expandPattern(cond.pattern, [...selections.keys()]);
  if (names.length === 0) throw new RuleSyntaxError(path, `"${cond.pattern}" names no selection`);
  const parts = names.map((n) => selections.get(n) as Selection);
  if (cond.quantity === 'all') return allOfSelections(parts);
  if (cond.quantity === 1) return anyOf(parts);
  if (cond.quantity > parts.length) {
    throw new RuleSyntaxError(path, `"${cond.quantity} of ${cond.pattern}" asks for more than the ${parts.length} selections it names`);
  }
  return atLeast(cond.quantity, parts);
}

function allOf(matchers: Matcher[]): Matcher {
  if (matchers.length === 1) return matchers[0] as Matcher;
  return (doc) => {
    for (const m of matchers) if (!m(doc)) return false;
    return true;
  };
}

function allOfSelections(parts: Selection[]): Selection {
  const pins: Pins = new Map();
  for (const part of parts) {
    for (const [field, values] of part.pins) {
      const prior = pins.get(field);
      pins.set(field, prior ? new Set([...prior].filter((v) => values.has(v))) : values);
    }
  }
  return { match: allOf(parts.map((p) => p.match)), pins };
}

function anyOf(parts: Selection[]): Selection {
  const matchers = parts.map((p) => p.match);
  const match: Matcher = (doc) => {
    for (const m of matchers) if (m(doc)) return true;
    return false;
  };
  return { match, pins: unionPins(parts) };
}

/** A field stays pinned through OR only when every branch pins it. */
function unionPins(parts: Selection[]): Pins {
  const pins: Pins = new Map();
  const [first, ...rest] = parts;
  for (const [field, values] of first?.pins ?? []) {
    if (rest.every((p) => p.pins.has(field))) {
      pins.set(field, new Set([...values, ...rest.flatMap((p) => [...(p.pins.get(field) ?? [])])]));
    }
  }
  return pins;
}

function atLeast(count: number, parts: Selection[]): Selection {
  const matchers = parts.map((p) => p.match);
  const match: Matcher = (doc) => {
    let hits = 0;
    for (const m of matchers) if (m(doc) && ++hits >= count) return true;
    return false;
  };
  // Counting lets any subset decide, so no single field value is required.
  return { match, pins: new Map() };
}
