/**
 * The real LookupFn: CloudTrail LookupEvents through Picket's AWS access,
 * sharing the enrichment engine's per account-and-region token bucket (AWS
 * allows 2 calls a second), with its retries and request-id logging.
 * `queryCloudTrail` in src/enrich/cloudtrail.ts answers with summaries; a
 * hunt's selection needs the whole record, so this pages on its own.
 */

import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { AwsAccess } from '../aws/access.js';
import { callAws } from '../aws/call.js';
import { limiterKey } from '../aws/limiter.js';
import { isObject } from '../core/json.js';
import { LOOKUP_PAGE_SIZE, type LookupFn, type LookupRequest } from './live.js';

export function cloudTrailLookup(aws: AwsAccess): LookupFn {
  return (req) => pages(aws, req);
}

async function* pages(aws: AwsAccess, req: LookupRequest): AsyncGenerator<Record<string, unknown>> {
  const client = aws.client(CloudTrailClient, req.accountId, req.region);
  const bucket = limiterKey(req.accountId, req.region, 'LookupEvents');
  const target = { accountId: req.accountId, region: req.region, operation: 'cloudtrail:LookupEvents' };
  let token: string | undefined;

  for (let page = 0; page < req.maxPages && !req.signal.aborted; page += 1) {
    const input = {
      LookupAttributes: [{ AttributeKey: req.attribute.key, AttributeValue: req.attribute.value }],
      StartTime: req.since,
      EndTime: req.until,
      MaxResults: LOOKUP_PAGE_SIZE,
      ...(token ? { NextToken: token } : {}),
    };
    const out: LookupEventsCommandOutput = await callAws(aws, target, async () => {
      await aws.lookupLimiter.take(bucket);
      return client.send(new LookupEventsCommand(input), { abortSignal: req.signal });
    });
    for (const event of out.Events ?? []) {
      const record = parseRecord(event.CloudTrailEvent);
      if (record) yield record;
    }
    token = out.NextToken;
    if (!token) return;
  }
}

/** CloudTrailEvent is a JSON string written by AWS; one that does not parse is skipped, not fatal. */
function parseRecord(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
