/**
 * Reading the fields a hunt groups and counts by, as strings. A field spec
 * with alternatives takes the first path present in the record, so one
 * group can gather, say, the key a CreateAccessKey returned and the later
 * calls signed with it.
 */

import { parseTimestamp } from '../core/time.js';
import { MISSING, Multi, readPath } from '../detect/sigma/fields.js';
import type { FieldSpec } from './schema.js';

export const NO_VALUE = '-';

export function pathsOf(spec: FieldSpec): string[] {
  return typeof spec === 'string' ? [spec] : spec;
}

/** The name a key part is shown under: the first alternative. */
export function labelOf(spec: FieldSpec): string {
  return pathsOf(spec)[0] ?? '';
}

/** Every scalar value of the first alternative present; [] when none is. */
export function readField(doc: Record<string, unknown>, spec: FieldSpec): string[] {
  for (const path of pathsOf(spec)) {
    const values = flatten(readPath(doc, path));
    if (values.length > 0) return values;
  }
  return [];
}

/** One group-key part: the values joined, or `-` when the field is absent. */
export function keyPart(doc: Record<string, unknown>, spec: FieldSpec): string {
  const values = readField(doc, spec);
  return values.length > 0 ? values.join(',') : NO_VALUE;
}

function flatten(value: unknown): string[] {
  if (value === MISSING || value === null || value === undefined) return [];
  if (value instanceof Multi) return value.values.flatMap(flatten);
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (typeof value === 'object') return [JSON.stringify(value)];
  const text = String(value);
  return text === '' ? [] : [text];
}

/** The record's eventTime in epoch milliseconds, or undefined when it has none that parses. */
export function eventTimeOf(doc: Record<string, unknown>): number | undefined {
  const iso = parseTimestamp(doc.eventTime);
  return iso === undefined ? undefined : Date.parse(iso);
}

/** A whole number and a unit (the rule dedup format) in milliseconds. */
export function windowMs(text: string): number {
  const match = /^([1-9]\d*)([smhd])$/.exec(text);
  if (!match) throw new RangeError(`not a window: ${text}`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
