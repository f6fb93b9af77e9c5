/**
 * The index behind RuleSet.candidates and RuleSet.evaluate. A rule that pins
 * `eventName`, `type` or `eventSource` to a finite set of values is filed
 * under each value of its most selective pinned field; any other rule is in
 * the always-evaluated list of its service. Results keep load order.
 */

import type { LoadedRule } from '../ruleset.js';
import { INDEX_FIELDS } from './detection.js';
import { anyLeaf, nextEpoch, type Getter } from './fields.js';
import { innerMatcher, pinsOf, probeOf } from './rule.js';

interface IndexedRule {
  rule: LoadedRule;
  /** The matcher without its own epoch start: one epoch covers every rule run on one event. */
  match: (doc: Record<string, unknown>) => boolean;
  order: number;
}

/** Always-evaluated rules that are one string test on the same field. */
interface ProbeGroup {
  getter: Getter;
  entries: IndexedRule[];
  tests: Array<(s: string) => boolean>;
}

interface ServiceIndex {
  always: IndexedRule[];
  probes: Map<string, ProbeGroup>;
  /** Parallel arrays: an indexed field, and its lowercased value → rules filed under it. */
  fields: string[];
  byValue: Array<Map<string, IndexedRule[]>>;
}

export class RuleIndex {
  private readonly services = new Map<string, ServiceIndex>();

  constructor(rules: LoadedRule[]) {
    rules.forEach((rule, order) => this.add({ rule, match: innerMatcher(rule), order }));
  }

  candidates(service: string, doc: Record<string, unknown>): LoadedRule[] {
    const lists: IndexedRule[][] = [];
    this.visit(service, doc, (list) => lists.push(list));
    return inOrder(lists.flat()).map((e) => e.rule);
  }

  evaluate(service: string, doc: Record<string, unknown>): LoadedRule[] {
    const hits: IndexedRule[] = [];
    const index = this.services.get(service);
    if (!index) return [];
    nextEpoch();

    let sources = matchInto(index.always, doc, hits);
    for (const group of index.probes.values()) sources += probeInto(group, doc, hits);
    for (let f = 0; f < index.fields.length; f++) {
      const value = doc[index.fields[f] as string];
      const byValue = index.byValue[f] as Map<string, IndexedRule[]>;
      if (typeof value === 'string') {
        const list = byValue.get(indexKey(value));
        if (list) sources += matchInto(list, doc, hits);
      } else if (value !== undefined && value !== null) {
        for (const key of lookupKeys(value)) sources += matchInto(byValue.get(key), doc, hits);
      }
    }
    return (sources > 1 && hits.length > 1 ? inOrder(hits) : hits).map((e) => e.rule);
  }

  /** Call `each` with the always list and every list filed under one of the document's values. */
  private visit(service: string, doc: Record<string, unknown>, each: (list: IndexedRule[]) => void): void {
    const index = this.services.get(service);
    if (!index) return;
    if (index.always.length > 0) each(index.always);
    for (const group of index.probes.values()) each(group.entries);

    for (let f = 0; f < index.fields.length; f++) {
      const value = doc[index.fields[f] as string];
      const byValue = index.byValue[f] as Map<string, IndexedRule[]>;
      if (typeof value === 'string') {
        const list = byValue.get(indexKey(value));
        if (list) each(list);
      } else if (value !== undefined && value !== null) {
        for (const key of lookupKeys(value)) {
          const list = byValue.get(key);
          if (list) each(list);
        }
      }
    }
  }

  private add(entry: IndexedRule): void {
    let index = this.services.get(entry.rule.service);
    if (!index) {
      index = { always: [], probes: new Map(), fields: [], byValue: [] };
      this.services.set(entry.rule.service, index);
    }

    const pins = pinsOf(entry.rule);
    const field = INDEX_FIELDS.find((f) => pins?.has(f));
    const values = field ? pins?.get(field) : undefined;
    if (!field || !values) {
      addAlways(index, entry);
      return;
    }

    let at = index.fields.indexOf(field);
    if (at < 0) at = index.fields.push(field) - 1;
    const byValue = (index.byValue[at] ??= new Map<string, IndexedRule[]>());
    for (const value of values) byValue.set(value, [...(byValue.get(value) ?? []), entry]);
  }
}

function addAlways(index: ServiceIndex, entry: IndexedRule): void {
  const probe = probeOf(entry.rule);
  if (!probe) {
    index.always.push(entry);
    return;
  }
  const group = index.probes.get(probe.field) ?? { getter: probe.getter, entries: [], tests: [] };
  index.probes.set(probe.field, group);
  group.entries.push(entry);
  group.tests.push(probe.onString);
}

/** Read the group's field once; a string value goes straight to each rule's test. */
function probeInto(group: ProbeGroup, doc: Record<string, unknown>, hits: IndexedRule[]): number {
  const value = group.getter(doc);
  if (typeof value !== 'string') return matchInto(group.entries, doc, hits);
  for (let i = 0; i < group.tests.length; i++) {
    if ((group.tests[i] as (s: string) => boolean)(value)) hits.push(group.entries[i] as IndexedRule);
  }
  return 1;
}

/** The hot loop of evaluate, kept free of closures; returns 1 when `list` held rules. */
function matchInto(list: IndexedRule[] | undefined, doc: Record<string, unknown>, hits: IndexedRule[]): number {
  if (!list) return 0;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as IndexedRule;
    if (entry.match(doc)) hits.push(entry);
  }
  return list.length > 0 ? 1 : 0;
}

function inOrder(list: IndexedRule[]): IndexedRule[] {
  return [...new Set(list)].sort((a, b) => a.order - b.order);
}

/**
 * Lowercased index values. Event names, sources and finding types are few, so
 * this cache stays small and is not flushed by the many one-off strings
 * (ARNs, user agents) that the matchers lowercase.
 */
const indexKeys = new Map<string, string>();
const INDEX_KEYS_MAX = 8192;

function indexKey(value: string): string {
  let key = indexKeys.get(value);
  if (key === undefined) {
    key = value.toLowerCase();
    if (indexKeys.size >= INDEX_KEYS_MAX) indexKeys.clear();
    indexKeys.set(value, key);
  }
  return key;
}

/** An array in the indexed field files the event under each of its elements, at any depth. */
function lookupKeys(value: unknown): string[] {
  const keys = new Set<string>();
  anyLeaf(value, (scalar) => {
    if (typeof scalar === 'string') keys.add(indexKey(scalar));
    else if (typeof scalar === 'number' || typeof scalar === 'boolean') keys.add(String(scalar));
    return false;
  });
  return [...keys];
}
