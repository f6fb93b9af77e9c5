/**
 * A hunt's inline tests: events in, the groups it should report out. A hunt
 * needs one test that finds something and one that finds nothing, as a rule
 * needs a match and a no-match.
 */

import { isAbsolute, join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { projectRoot, readEvents } from '../detect/sigma/rule-tests.js';
import type { GeoLookup } from '../geo/lookup.js';
import { runHunt, type HuntResult } from './collect.js';
import { windowMs } from './fields.js';
import type { Hunt } from './load.js';
import type { HuntTest, RepeatSpec } from './schema.js';

export interface HuntTestFailure {
  hunt: Hunt;
  test?: string;
  message: string;
}

export interface HuntTestReport {
  tests: number;
  failures: HuntTestFailure[];
}

/** Repeated test events start here unless the event names its own eventTime. */
const DEFAULT_START = Date.parse('2026-12-01T10:00:00Z');

export function runHuntTests(hunt: Hunt, options: { root?: string; geo?: GeoLookup } = {}): HuntTestReport {
  const root = options.root ?? projectRoot(hunt.file);
  const { tests } = hunt.spec;
  const failures: HuntTestFailure[] = [];
  if (!tests.some((t) => t.expect.groups > 0)) failures.push({ hunt, message: 'has no test that expects a group' });
  if (!tests.some((t) => t.expect.groups === 0)) failures.push({ hunt, message: 'has no test that expects no group' });

  for (const test of tests) {
    const message = runOne(hunt, test, root, options.geo);
    if (message) failures.push({ hunt, test: test.name, message });
  }
  return { tests: tests.length, failures };
}

function runOne(hunt: Hunt, test: HuntTest, root: string, geo: GeoLookup | undefined): string | undefined {
  let events: Record<string, unknown>[];
  try {
    events = testEvents(test, root);
  } catch (err: unknown) {
    return `fixture ${test.fixture ?? ''}: ${errorMessage(err)}`;
  }
  return compare(test.expect, runHunt(hunt, events, geo ? { geo } : {}));
}

function compare(expect: HuntTest['expect'], result: HuntResult): string | undefined {
  const got = `${result.groups.length} group(s) from ${result.matched} match(es)`;
  if (expect.matched !== undefined && result.matched !== expect.matched) return `expected ${expect.matched} match(es), got ${got}`;
  if (result.groups.length !== expect.groups) return `expected ${expect.groups} group(s), got ${got}${keysText(result)}`;
  if (expect.keys === undefined) return undefined;
  const want = JSON.stringify(expect.keys);
  const have = JSON.stringify(result.groups.map((g) => g.key));
  return want === have ? undefined : `expected group keys ${want}, got ${have}`;
}

function keysText(result: HuntResult): string {
  return result.groups.length === 0 ? '' : `: ${JSON.stringify(result.groups.map((g) => g.key))}`;
}

export function testEvents(test: HuntTest, root: string): Record<string, unknown>[] {
  if (test.fixture !== undefined) return readEvents(isAbsolute(test.fixture) ? test.fixture : join(root, test.fixture));
  return (test.events ?? []).flatMap((e, n) => (isRepeat(e) ? expand(e, `e${n}`) : [e]));
}

function isRepeat(entry: RepeatSpec | Record<string, unknown>): entry is RepeatSpec {
  return typeof entry.repeat === 'number' && typeof entry.event === 'object' && entry.event !== null;
}

/**
 * `repeat` copies `every` apart, each with its own eventID and the `vary`
 * values cycled in. Ids carry `tag` so two repeated entries never collide
 * (the collector drops records whose eventID it has already seen).
 */
export function expand(spec: RepeatSpec, tag = 'e0'): Record<string, unknown>[] {
  const start = typeof spec.event.eventTime === 'string' ? Date.parse(spec.event.eventTime) : DEFAULT_START;
  const step = windowMs(spec.every);
  const baseId = typeof spec.event.eventID === 'string' ? spec.event.eventID : `test-${tag}`;
  return Array.from({ length: spec.repeat }, (_, i) => {
    const copy = structuredClone(spec.event);
    copy.eventTime = new Date(start + i * step).toISOString();
    copy.eventID = `${baseId}-${i}`;
    for (const [path, values] of Object.entries(spec.vary ?? {})) setPath(copy, path, values[i % values.length]);
    return copy;
  });
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = doc;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] ?? path] = value;
}
