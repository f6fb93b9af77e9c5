/** The principal's CloudTrail events around the finding: which attribute to look up and for what window. */
import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import type { Signal } from '../model/signal.js';
import { queryCloudTrail, type CloudTrailEventSummary } from './cloudtrail.js';
import { anchorTime, principalOf, roleNameOf } from './facts.js';
import { settingsOf, type EnrichContext } from './types.js';

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

export async function relatedEvents(ctx: EnrichContext): Promise<Related> {
  const lookup = lookupFor(ctx.signal);
  if (!lookup || !ctx.signal.accountId) throw new Error('no principal to look up');
  const settings = settingsOf(ctx.deps);
  const span = settings.windowHours * 3_600_000;
  const anchor = anchorTime(ctx.signal, ctx.now);
  const since = new Date(anchor.since.getTime() - span);
  const until = new Date(Math.min(anchor.until.getTime() + span, ctx.now.getTime()));
  const events = await queryCloudTrail(
    { accountId: ctx.signal.accountId, region: ctx.signal.region ?? 'us-east-1', attribute: { key: lookup.key, value: lookup.value }, since, until, maxPages: settings.maxPages },
    ctx.deps,
  );
  return { lookup, since, until, events, capped: events.length >= settings.maxPages * 50 };
}
