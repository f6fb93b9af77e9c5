/**
 * Grouping a hunt's matches and keeping the groups worth a look. A group's
 * measure is how many matches it holds, or how many distinct values of one
 * field they carry; with `within`, it is the peak over any sliding window of
 * that length, so a burst straddling the hour still counts as one burst.
 */

import { labelOf, windowMs } from './fields.js';
import type { Aggregate } from './schema.js';

/** A few fields an analyst reads first; the full record stays in CloudTrail. */
export interface SampleRow {
  eventTime?: string;
  eventName?: string;
  eventSource?: string;
  principal?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  awsRegion?: string;
  eventID?: string;
}

/** One matched record, reduced to what grouping needs. */
export interface MatchEntry {
  time: number | undefined;
  keyParts: string[];
  /** What the measure counts: the distinct field's values, or one unique token per record. */
  units: string[];
  /** Whether this record may open its group (aggregate.first_event). */
  opensGroup: boolean;
  row: SampleRow;
}

export interface HuntGroup {
  key: Record<string, string>;
  /** Matches in the group. */
  count: number;
  /** What the thresholds were applied to (count, distinct values, or their peak within the window). */
  measure: number;
  /** ISO times of the group's earliest and latest match, when the records carry times. */
  first?: string;
  last?: string;
  /** The distinct values counted, at most MAX_VALUES. */
  values?: string[];
  sample: SampleRow[];
}

export const MAX_VALUES = 20;
export const SAMPLE_SIZE = 3;

export function groupMatches(aggregate: Aggregate, entries: MatchEntry[]): HuntGroup[] {
  const groups = new Map<string, MatchEntry[]>();
  for (const entry of entries) push(groups, JSON.stringify(entry.keyParts), entry);
  const parents = parentCounts(entries);

  const out: HuntGroup[] = [];
  for (const members of groups.values()) {
    const sorted = [...members].sort(byTime);
    const measure = measureOf(aggregate, sorted);
    if (passes(aggregate, sorted, measure, parents)) out.push(describe(aggregate, sorted, measure));
  }
  return out.sort((a, b) => b.measure - a.measure || b.count - a.count || keyText(a).localeCompare(keyText(b)));
}

function passes(aggregate: Aggregate, sorted: MatchEntry[], measure: number, parents: Map<string, number>): boolean {
  if (measure <= aggregate.more_than) return false;
  if (aggregate.at_most !== undefined && measure > aggregate.at_most) return false;
  if (aggregate.first_event !== undefined && sorted[0]?.opensGroup !== true) return false;
  if (aggregate.baseline === undefined) return true;
  const parent = parents.get(parentKey(sorted[0]?.keyParts ?? [])) ?? 0;
  return parent >= aggregate.baseline.at_least;
}

function measureOf(aggregate: Aggregate, sorted: MatchEntry[]): number {
  if (aggregate.within === undefined) return new Set(sorted.flatMap((e) => e.units)).size;
  return slidingPeak(sorted, windowMs(aggregate.within));
}

/** The most distinct units seen inside any span shorter than `span` ms; entries are in time order. */
export function slidingPeak(sorted: MatchEntry[], span: number): number {
  const inWindow = new Map<string, number>();
  let left = 0;
  let peak = 0;
  for (const entry of sorted) {
    for (const unit of entry.units) inWindow.set(unit, (inWindow.get(unit) ?? 0) + 1);
    while (left < sorted.length && (entry.time ?? 0) - (sorted[left]?.time ?? 0) >= span) {
      for (const unit of sorted[left]?.units ?? []) drop(inWindow, unit);
      left += 1;
    }
    peak = Math.max(peak, inWindow.size);
  }
  return peak;
}

function drop(counts: Map<string, number>, unit: string): void {
  const left = (counts.get(unit) ?? 0) - 1;
  if (left > 0) counts.set(unit, left);
  else counts.delete(unit);
}

function describe(aggregate: Aggregate, sorted: MatchEntry[], measure: number): HuntGroup {
  const parts = sorted[0]?.keyParts ?? [];
  const key = Object.fromEntries(aggregate.by.map((spec, i) => [labelOf(spec), parts[i] ?? '-']));
  const times = sorted.map((e) => e.time).filter((t): t is number => t !== undefined);
  const group: HuntGroup = { key, count: sorted.length, measure, sample: sorted.slice(0, SAMPLE_SIZE).map((e) => e.row) };
  if (times.length > 0) {
    group.first = new Date(Math.min(...times)).toISOString();
    group.last = new Date(Math.max(...times)).toISOString();
  }
  if (aggregate.distinct !== undefined) group.values = [...new Set(sorted.flatMap((e) => e.units))].slice(0, MAX_VALUES);
  return group;
}

/** Matches per group key without its last part: the principal a rare value is measured against. */
function parentCounts(entries: MatchEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const key = parentKey(entry.keyParts);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function parentKey(parts: string[]): string {
  return JSON.stringify(parts.slice(0, -1));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byTime(a: MatchEntry, b: MatchEntry): number {
  return (a.time ?? 0) - (b.time ?? 0);
}

function keyText(group: HuntGroup): string {
  return Object.values(group.key).join('\u0000');
}
