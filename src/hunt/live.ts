/**
 * A hunt against CloudTrail event history: one LookupEvents search per
 * lookup value and region, each capped in pages, the whole run capped in
 * time. Records stream through the collector, so memory holds matches only.
 * The search itself is an injected function; `aws-lookup.ts` is the real one.
 */

import type { GeoLookup } from '../geo/lookup.js';
import { createCollector, type Collector, type HuntResult } from './collect.js';
import { readField, windowMs } from './fields.js';
import type { Hunt } from './load.js';
import type { LookupAttribute } from './schema.js';

/** LookupEvents returns at most 50 events a page. */
export const LOOKUP_PAGE_SIZE = 50;
export const DEFAULT_MAX_PAGES = 10;
export const DEFAULT_BUDGET_MS = 60_000;
/** CloudTrail event history keeps 90 days. */
export const MAX_LOOKBACK_MS = 90 * 86_400_000;

export interface LookupRequest {
  accountId: string;
  region: string;
  attribute: { key: LookupAttribute; value: string };
  since: Date;
  until: Date;
  maxPages: number;
  /** Fires when the run's time budget is spent; stop paging. */
  signal: AbortSignal;
}

/** Yields full CloudTrail records (the parsed CloudTrailEvent of each LookupEvents result). */
export type LookupFn = (req: LookupRequest) => AsyncIterable<Record<string, unknown>>;

export interface LiveHuntOptions {
  accountId: string;
  regions: string[];
  lookup: LookupFn;
  /** Default: the hunt's window before `until`. */
  since?: Date;
  until?: Date;
  maxPages?: number;
  budgetMs?: number;
  /** Replaces the hunt's lookup, e.g. AccessKeyId=AKIA… to focus on one key. */
  override?: { key: LookupAttribute; value: string };
  geo?: GeoLookup;
  now?: () => Date;
}

export interface LiveHuntResult extends HuntResult {
  accountId: string;
  regions: string[];
  since: string;
  until: string;
  /** LookupEvents searches made (each one attribute value in one region). */
  searches: number;
  stoppedBy?: 'page-cap' | 'time-budget';
}

export async function runLiveHunt(hunt: Hunt, options: LiveHuntOptions): Promise<LiveHuntResult> {
  const until = options.until ?? (options.now ?? (() => new Date()))();
  const wanted = options.since ?? new Date(until.getTime() - windowMs(hunt.spec.window));
  const since = new Date(Math.max(wanted.getTime(), until.getTime() - MAX_LOOKBACK_MS));
  const run = startRun(hunt, options, since, until);
  try {
    for (const attribute of firstPhase(hunt, options)) await run.search(attribute);
    for (const attribute of pivotPhase(hunt, run.pivots)) await run.search(attribute);
  } finally {
    run.stop();
  }
  return run.finish();
}

type Attribute = LookupRequest['attribute'];

function firstPhase(hunt: Hunt, options: LiveHuntOptions): Attribute[] {
  if (options.override) return [options.override];
  return hunt.spec.lookup.values.map((value) => ({ key: hunt.spec.lookup.attribute, value }));
}

/** The second searches a pivot asks for: one per distinct value found in the first phase's matches. */
function pivotPhase(hunt: Hunt, found: Set<string>): Attribute[] {
  const pivot = hunt.spec.pivot;
  if (!pivot) return [];
  return [...found].slice(0, pivot.max).map((value) => ({ key: pivot.attribute, value }));
}

interface Run {
  pivots: Set<string>;
  search(attribute: Attribute): Promise<void>;
  stop(): void;
  finish(): LiveHuntResult;
}

function startRun(hunt: Hunt, options: LiveHuntOptions, since: Date, until: Date): Run {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.budgetMs ?? DEFAULT_BUDGET_MS);
  const collector = createCollector(hunt, options.geo ? { geo: options.geo } : {});
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const pivots = new Set<string>();
  const state = { searches: 0, pageCapped: false };

  const search = async (attribute: Attribute) => {
    for (const region of options.regions) {
      if (controller.signal.aborted) return;
      state.searches += 1;
      const req: LookupRequest = { accountId: options.accountId, region, attribute, since, until, maxPages, signal: controller.signal };
      const seen = await drain(options.lookup(req), collector, hunt, pivots, controller.signal, maxPages * LOOKUP_PAGE_SIZE);
      if (seen >= maxPages * LOOKUP_PAGE_SIZE) state.pageCapped = true;
    }
  };

  const finish = (): LiveHuntResult => {
    const stoppedBy = controller.signal.aborted ? 'time-budget' : state.pageCapped ? 'page-cap' : undefined;
    const base = collector.result();
    const result: LiveHuntResult = { ...base, accountId: options.accountId, regions: options.regions, since: since.toISOString(), until: until.toISOString(), searches: state.searches };
    if (stoppedBy) Object.assign(result, { stoppedBy, truncated: true });
    return result;
  };
  return { pivots, search, stop: () => clearTimeout(timer), finish };
}

/**
 * Feeds one search's records to the collector until the search ends, the
 * record cap is reached or the budget fires; returns how many it read. The
 * wait for each record races the budget, so a stalled page cannot hold the run.
 */
async function drain(source: AsyncIterable<Record<string, unknown>>, collector: Collector, hunt: Hunt, pivots: Set<string>, signal: AbortSignal, cap: number): Promise<number> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
  let seen = 0;
  try {
    while (seen < cap && !signal.aborted) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === 'aborted' || next.done) break;
      seen += 1;
      collectOne(next.value, collector, hunt, pivots);
    }
  } finally {
    void iterator.return?.()?.catch(() => undefined);
  }
  return seen;
}

function collectOne(record: Record<string, unknown>, collector: Collector, hunt: Hunt, pivots: Set<string>): void {
  const matched = collector.add(record);
  const pivot = hunt.spec.pivot;
  if (pivot && matched) for (const value of readField(record, pivot.from)) pivots.add(value);
}
