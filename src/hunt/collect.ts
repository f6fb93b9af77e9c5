/**
 * Running a hunt over records: each record is matched with the hunt's Sigma
 * selection, kept or dropped by the change window, and reduced to what the
 * aggregation needs. Only matches are held, never the whole input, so a
 * collector can take a live stream of any length.
 */

import type { GeoLookup } from '../geo/lookup.js';
import { groupMatches, type HuntGroup, type MatchEntry, type SampleRow } from './aggregate.js';
import { eventTimeOf, keyPart, readField } from './fields.js';
import type { Hunt } from './load.js';
import type { ChangeWindow } from './schema.js';
import { WEEKDAYS } from './schema.js';

export type { HuntGroup, SampleRow } from './aggregate.js';

export interface HuntResult {
  huntId: string;
  title: string;
  /** Records read (after de-duplication by eventID). */
  scanned: number;
  /** Records the selection matched and the change window kept. */
  matched: number;
  /** Groups that pass the aggregation's thresholds, biggest first. */
  groups: HuntGroup[];
  /** Set when the search stopped before the input was exhausted (page cap, time budget). */
  truncated?: boolean;
  notes: string[];
}

export interface CollectOptions {
  /** Offline geo/ASN, for hunts with `geo: true`. */
  geo?: GeoLookup;
}

export interface Collector {
  /** Whether the record was kept as a match. */
  add(record: Record<string, unknown>): boolean;
  result(): HuntResult;
}

/** Geo facts are added under this key before matching, so selections and groups can use them. */
export const GEO_FIELD = 'picket_geo';

export function createCollector(hunt: Hunt, options: CollectOptions = {}): Collector {
  const seen = new Set<string>();
  const entries: MatchEntry[] = [];
  const notes: string[] = hunt.spec.geo && !options.geo ? ['no geo database: picket_geo fields are empty'] : [];
  let scanned = 0;

  const add = (record: Record<string, unknown>) => {
    const id = typeof record.eventID === 'string' ? record.eventID : undefined;
    if (id !== undefined && seen.has(id)) return false;
    if (id !== undefined) seen.add(id);
    scanned += 1;

    const doc = hunt.spec.geo && options.geo ? withGeo(record, options.geo) : record;
    if (!hunt.match(doc)) return false;
    const time = eventTimeOf(doc);
    const window = hunt.spec.outside_change_window;
    if (window && time !== undefined && insideChangeWindow(time, window)) return false;
    entries.push(entryOf(hunt, doc, time, entries.length));
    return true;
  };

  const result = (): HuntResult => ({
    huntId: hunt.id,
    title: hunt.title,
    scanned,
    matched: entries.length,
    groups: groupMatches(hunt.spec.aggregate, entries),
    notes,
  });
  return { add, result };
}

export function runHunt(hunt: Hunt, records: Iterable<Record<string, unknown>>, options: CollectOptions = {}): HuntResult {
  const collector = createCollector(hunt, options);
  for (const record of records) collector.add(record);
  return collector.result();
}

function entryOf(hunt: Hunt, doc: Record<string, unknown>, time: number | undefined, index: number): MatchEntry {
  const { aggregate } = hunt.spec;
  const units = aggregate.distinct === undefined ? [`#${index}`] : readField(doc, aggregate.distinct);
  return {
    time,
    keyParts: aggregate.by.map((spec) => keyPart(doc, spec)),
    units,
    opensGroup: aggregate.first_event === undefined || fieldsEqual(doc, aggregate.first_event),
    row: sampleRow(doc),
  };
}

function fieldsEqual(doc: Record<string, unknown>, wanted: Record<string, string | string[]>): boolean {
  return Object.entries(wanted).every(([path, expected]) => {
    const allowed = typeof expected === 'string' ? [expected] : expected;
    return readField(doc, path).some((v) => allowed.includes(v));
  });
}

function sampleRow(doc: Record<string, unknown>): SampleRow {
  const one = (path: string, max = 200) => readField(doc, path)[0]?.slice(0, max);
  const row: SampleRow = {
    eventTime: one('eventTime'),
    eventName: one('eventName'),
    eventSource: one('eventSource'),
    principal: one('userIdentity.arn') ?? one('userIdentity.type'),
    sourceIPAddress: one('sourceIPAddress'),
    userAgent: one('userAgent', 120),
    errorCode: one('errorCode'),
    awsRegion: one('awsRegion'),
    eventID: one('eventID'),
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as SampleRow;
}

function withGeo(record: Record<string, unknown>, geo: GeoLookup): Record<string, unknown> {
  const ip = typeof record.sourceIPAddress === 'string' ? record.sourceIPAddress : '';
  const info = ip ? geo.lookup(ip) : undefined;
  if (!info || info.special) return record;
  const facts = { country: info.country, asn: info.asn === undefined ? undefined : String(info.asn), asn_org: info.asnOrg };
  return { ...record, [GEO_FIELD]: Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) };
}

/** Whether a time falls in the change window (UTC); a window whose end is before its start runs past midnight. */
export function insideChangeWindow(time: number, window: ChangeWindow): boolean {
  const date = new Date(time);
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const overnight = to <= from;
  // After midnight, an overnight window belongs to the day it started on.
  const startDay = overnight && minute < to ? (date.getUTCDay() + 6) % 7 : date.getUTCDay();
  const inHours = overnight ? minute >= from || minute < to : minute >= from && minute < to;
  return inHours && window.days.includes(WEEKDAYS[startDay] ?? 'sun');
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
