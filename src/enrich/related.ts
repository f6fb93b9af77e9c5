/** The principal's CloudTrail events around the finding: which attribute to look up and for what window. */
import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import type { Signal } from '../model/signal.js';
import { queryCloudTrail, roundWindow, type CloudTrailEventSummary } from './cloudtrail.js';
import { anchorTime, principalOf, roleNameOf } from './facts.js';
import { settingsOf, type EnrichContext } from './types.js';
import { coveringWindow, forgetWindow } from './window-reuse.js';

export interface Lookup {
  key: LookupAttributeKey;
  value: string;
  /** The principal's stable name, for the seen-before sets. */
  principal: string;
}

/**
 * A key id is the sharpest lookup. Without one, an IAM user is looked up by
 * user name; a role session's Username in CloudTrail is its session name.
 */
export function lookupFor(signal: Signal): Lookup | undefined {
  const p = principalOf(signal);
  if (!p) return undefined;
  const stable = roleNameOf(signal) ?? signal.actor?.userName ?? p.name;
  if (p.kind === 'key') return { key: 'AccessKeyId', value: p.name, principal: stable };
  if (p.kind === 'user') return { key: 'Username', value: p.name, principal: stable };
  const session = signal.actor?.sessionName;
  return session ? { key: 'Username', value: session, principal: stable } : { key: 'ResourceName', value: p.name, principal: stable };
}

export interface Related {
  lookup: Lookup;
  since: Date;
  until: Date;
  events: CloudTrailEventSummary[];
  capped: boolean;
}

const GRID_MS = 3_600_000;

/**
 * The window actually looked up: its start moved back to the whole hour.
 * Findings about one principal first seen minutes apart (a burst) then ask
 * for the same window (their end is "now" for any recent finding, which the
 * cache key rounds to 5 minutes), share one cache entry and cost one
 * LookupEvents run; each gets back only the events of its own window.
 */
export function gridWindow(since: Date, until: Date): { since: Date; until: Date } {
  return { since: new Date(Math.floor(since.getTime() / GRID_MS) * GRID_MS), until };
}

export async function relatedEvents(ctx: EnrichContext): Promise<Related> {
  const lookup = lookupFor(ctx.signal);
  if (!lookup || !ctx.signal.accountId) throw new Error('no principal to look up');
  const settings = settingsOf(ctx.deps);
  const span = settings.windowHours * 3_600_000;
  const anchor = anchorTime(ctx.signal, ctx.now);
  const since = new Date(anchor.since.getTime() - span);
  const until = new Date(Math.min(anchor.until.getTime() + span, ctx.now.getTime()));
  const region = ctx.signal.region ?? 'us-east-1';
  const identity = [ctx.signal.accountId, region, lookup.key, lookup.value, String(settings.maxPages)];
  const grid = gridWindow(since, until);
  const window = await coveringWindow(ctx.deps, identity, roundWindow(grid.since, grid.until));
  const fetched = await queryCloudTrail(
    { accountId: ctx.signal.accountId, region, attribute: { key: lookup.key, value: lookup.value }, ...window, maxPages: settings.maxPages },
    ctx.deps,
  );
  const capped = fetched.length >= settings.maxPages * 50;
  if (capped) await forgetWindow(ctx.deps, identity, window);
  const events = fetched.filter((e) => within(e.eventTime, since, until));
  return { lookup, since, until, events, capped };
}

function within(time: string, since: Date, until: Date): boolean {
  const at = Date.parse(time);
  return at >= since.getTime() && at <= until.getTime();
}
