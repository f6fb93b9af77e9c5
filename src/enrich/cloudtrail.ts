/**
 * CloudTrail LookupEvents within AWS's limit of 2 requests per second per
 * account and region: every page (and every retry) waits for the shared
 * token bucket, pages hold 50 events, and a page cap bounds the cost. The
 * window is rounded to 5 minutes for the cache key; related activity asks
 * for whole hours (see related.ts) so a burst about one principal shares one
 * cached answer.
 */
import { CloudTrailClient, LookupEventsCommand, type LookupAttributeKey, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { callAws } from '../aws/call.js';
import { limiterKey } from '../aws/limiter.js';
import { InputError } from '../core/errors.js';
import { bool, isObject, str } from '../core/json.js';
import { cached, cacheKey } from './cache.js';
import { settingsOf, type EnrichDeps } from './types.js';

export type { LookupAttributeKey };

export interface CloudTrailEventSummary {
  eventId: string;
  eventName: string;
  eventSource: string;
  /** ISO 8601. */
  eventTime: string;
  username?: string;
  accessKeyId?: string;
  sourceIp?: string;
  userAgent?: string;
  errorCode?: string;
  readOnly?: boolean;
  region?: string;
}

export interface CloudTrailQuery {
  accountId: string;
  region: string;
  attribute: { key: LookupAttributeKey; value: string };
  since: Date;
  until: Date;
  maxPages?: number;
}

export const PAGE_SIZE = 50;
const ROUND_MS = 5 * 60_000;
/** How long a looked-up window stays cached. */
export const CLOUDTRAIL_TTL_SECONDS = 300;

/** The window as it is looked up and cached: widened to whole 5 minutes. */
export function roundWindow(since: Date, until: Date): { since: Date; until: Date } {
  return {
    since: new Date(Math.floor(since.getTime() / ROUND_MS) * ROUND_MS),
    until: new Date(Math.ceil(until.getTime() / ROUND_MS) * ROUND_MS),
  };
}

export async function queryCloudTrail(req: CloudTrailQuery, deps: EnrichDeps): Promise<CloudTrailEventSummary[]> {
  const { since, until } = roundWindow(req.since, req.until);
  const pages = req.maxPages ?? settingsOf(deps).maxPages;
  const key = cacheKey(deps, 'ct', req.accountId, req.region, req.attribute.key, req.attribute.value, String(since.getTime()), String(until.getTime()), String(pages));
  return cached(deps, key, CLOUDTRAIL_TTL_SECONDS, () => lookupPages({ ...req, since, until, maxPages: pages }, deps));
}

async function lookupPages(req: CloudTrailQuery & { maxPages: number }, deps: EnrichDeps): Promise<CloudTrailEventSummary[]> {
  const aws = deps.aws;
  if (!aws) throw new InputError('no AWS access configured', { code: 'AWS_NOT_CONFIGURED' });
  const client = aws.client(CloudTrailClient, req.accountId, req.region);
  const bucket = limiterKey(req.accountId, req.region, 'LookupEvents');
  const events: CloudTrailEventSummary[] = [];
  let token: string | undefined;

  for (let page = 0; page < req.maxPages; page += 1) {
    const input = {
      LookupAttributes: [{ AttributeKey: req.attribute.key, AttributeValue: req.attribute.value }],
      StartTime: req.since,
      EndTime: req.until,
      MaxResults: PAGE_SIZE,
      ...(token ? { NextToken: token } : {}),
    };
    const out: LookupEventsCommandOutput = await callAws(aws, { accountId: req.accountId, region: req.region, operation: 'cloudtrail:LookupEvents' }, async () => {
      await aws.lookupLimiter.take(bucket);
      return client.send(new LookupEventsCommand(input));
    });
    events.push(...(out.Events ?? []).map(summarize));
    token = out.NextToken;
    if (!token) break;
  }
  return events;
}

function summarize(e: NonNullable<LookupEventsCommandOutput['Events']>[number]): CloudTrailEventSummary {
  const record = parseRecord(e.CloudTrailEvent);
  const summary: CloudTrailEventSummary = {
    eventId: e.EventId ?? str(record, 'eventID') ?? '',
    eventName: e.EventName ?? str(record, 'eventName') ?? '',
    eventSource: e.EventSource ?? str(record, 'eventSource') ?? '',
    eventTime: (e.EventTime ?? new Date(str(record, 'eventTime') ?? 0)).toISOString(),
    username: e.Username,
    accessKeyId: e.AccessKeyId,
    sourceIp: str(record, 'sourceIPAddress'),
    userAgent: str(record, 'userAgent'),
    errorCode: str(record, 'errorCode'),
    readOnly: e.ReadOnly === undefined ? bool(record, 'readOnly') : e.ReadOnly === 'true',
    region: str(record, 'awsRegion'),
  };
  return summary;
}

/** The embedded record is a JSON string written by AWS; a bad one just yields fewer fields. */
function parseRecord(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}
