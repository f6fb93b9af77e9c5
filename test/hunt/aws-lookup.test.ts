import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsAccess } from '../../src/aws/access.js';
import { silentLogger } from '../../src/core/log.js';
import { cloudTrailLookup } from '../../src/hunt/aws-lookup.js';
import type { LookupRequest } from '../../src/hunt/live.js';

const cloudtrail = mockClient(CloudTrailClient);
afterEach(() => cloudtrail.reset());

/** Sleeping advances a fake clock at once, so the 2-per-second limiter costs no wall time. */
function fakeClock() {
  let now = Date.parse('2026-12-10T12:00:00Z');
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
}

function access(clock = fakeClock()) {
  return new AwsAccess({ accounts: [], log: silentLogger, allowUnlisted: true, clock, staticCredentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
}

function request(maxPages: number): LookupRequest {
  return {
    accountId: '111122223333',
    region: 'eu-west-1',
    attribute: { key: 'EventName', value: 'ConsoleLogin' },
    since: new Date('2026-12-03T12:00:00Z'),
    until: new Date('2026-12-10T12:00:00Z'),
    maxPages,
    signal: new AbortController().signal,
  };
}

const page = (ids: string[], next?: string) => ({
  Events: ids.map((id) => ({ EventId: id, CloudTrailEvent: JSON.stringify({ eventID: id, eventName: 'ConsoleLogin' }) })),
  ...(next ? { NextToken: next } : {}),
  $metadata: {},
});

async function all(source: AsyncIterable<Record<string, unknown>>) {
  const out: Record<string, unknown>[] = [];
  for await (const record of source) out.push(record);
  return out;
}

describe('the CloudTrail lookup', () => {
  it('pages LookupEvents with one attribute and yields the parsed records, skipping unreadable ones', async () => {
    cloudtrail.on(LookupEventsCommand).resolvesOnce(page(['a', 'b'], 't1')).resolvesOnce({ Events: [{ EventId: 'bad', CloudTrailEvent: '{not json' }, ...page(['c']).Events], $metadata: {} });
    const clock = fakeClock();
    const records = await all(cloudTrailLookup(access(clock))(request(5)));
    expect(records.map((r) => r.eventID)).toEqual(['a', 'b', 'c']);
    const inputs = cloudtrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    const base = { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }], StartTime: new Date('2026-12-03T12:00:00Z'), EndTime: new Date('2026-12-10T12:00:00Z'), MaxResults: 50 };
    expect(inputs).toEqual([base, { ...base, NextToken: 't1' }]);
    expect(clock.sleeps).toEqual([500]);
  });

  it('stops at the page cap even when more pages exist', async () => {
    cloudtrail.on(LookupEventsCommand).resolves(page(['x'], 'more'));
    const records = await all(cloudTrailLookup(access())(request(3)));
    expect(records).toHaveLength(3);
    expect(cloudtrail.commandCalls(LookupEventsCommand)).toHaveLength(3);
  });
});
