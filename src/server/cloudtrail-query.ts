import { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { InputError } from '../core/errors.js';
import { PAGE_SIZE, queryCloudTrail, type CloudTrailEventSummary } from '../enrich/cloudtrail.js';
import type { EnrichDeps } from '../enrich/types.js';
import type { CloudTrailRow, QueryCloudTrailFn } from '../respond/deps.js';

/**
 * The response side's "Query CloudTrail" on top of enrichment's limited,
 * cached LookupEvents: the attribute name a person typed is checked against
 * what LookupEvents accepts, and the result count becomes a page count.
 */

const KEYS: readonly string[] = Object.values(LookupAttributeKey);

function isLookupKey(key: string): key is LookupAttributeKey {
  return KEYS.includes(key);
}

export function cloudTrailQueryFn(deps: EnrichDeps): QueryCloudTrailFn {
  return async (req) => {
    const key = req.attribute.key;
    if (!isLookupKey(key)) throw new InputError(`CloudTrail looks events up by ${KEYS.join(', ')}; not by "${key.slice(0, 40)}"`);
    const pages = Math.max(1, Math.ceil(req.maxResults / PAGE_SIZE));
    const events = await queryCloudTrail(
      { accountId: req.accountId, region: req.region, attribute: { key, value: req.attribute.value }, since: req.since, until: req.until, maxPages: pages },
      deps,
    );
    return { events: events.slice(0, req.maxResults).map(toRow), truncated: events.length > req.maxResults || events.length >= pages * PAGE_SIZE };
  };
}

function toRow(e: CloudTrailEventSummary): CloudTrailRow {
  return { eventId: e.eventId, eventTime: e.eventTime, eventName: e.eventName, eventSource: e.eventSource, username: e.username, sourceIp: e.sourceIp, errorCode: e.errorCode };
}
