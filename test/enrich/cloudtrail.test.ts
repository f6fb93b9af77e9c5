import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/aws/clock.js';
import { queryCloudTrail } from '../../src/enrich/cloudtrail.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { ACCOUNT, REGION, captureLogger, instantClock, testAccess, testDeps } from './support.js';

const ct = mockClient(CloudTrailClient);
let tr: TestRedis;

beforeAll(async () => {
  tr = await openTestRedis('enrich-ct');
});
afterAll(async () => tr.cleanup());
afterEach(() => {
  ct.reset();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const SINCE = new Date('2024-05-01T04:00:00Z');
const UNTIL = new Date('2024-05-01T16:15:00Z');

function event(i: number, extra: Record<string, unknown> = {}) {
  const record = { eventID: `ev-${i}`, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', sourceIPAddress: '203.0.113.66', userAgent: 'aws-cli/2.15.0', awsRegion: REGION, ...extra };
  return { EventId: `ev-${i}`, EventName: String(record.eventName), EventSource: String(record.eventSource), EventTime: new Date(Date.parse('2024-05-01T10:00:00Z') + i * 1000), Username: 'alice', AccessKeyId: 'AKIAEXAMPLEALICE0001', ReadOnly: 'true', CloudTrailEvent: JSON.stringify(record) };
}

function expectedInput(token?: string) {
  return {
    LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }],
    StartTime: SINCE,
    EndTime: new Date('2024-05-01T16:15:00Z'),
    MaxResults: 50,
    ...(token ? { NextToken: token } : {}),
  };
}

describe('queryCloudTrail', () => {
  it('follows NextToken with exact inputs and summarizes the embedded record', async () => {
    ct.on(LookupEventsCommand)
      .resolvesOnce({ Events: [event(1)], NextToken: 'page-2' })
      .resolvesOnce({ Events: [event(2, { errorCode: 'AccessDenied' })] });
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()) });

    const events = await queryCloudTrail({ accountId: ACCOUNT, region: REGION, attribute: { key: 'Username', value: 'alice' }, since: SINCE, until: UNTIL }, deps);

    expect(ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input)).toEqual([expectedInput(), expectedInput('page-2')]);
    expect(events.map((e) => [e.eventId, e.eventName, e.sourceIp, e.userAgent, e.errorCode ?? null, e.eventTime])).toEqual([
      ['ev-1', 'ListBuckets', '203.0.113.66', 'aws-cli/2.15.0', null, '2024-05-01T10:00:01.000Z'],
      ['ev-2', 'ListBuckets', '203.0.113.66', 'aws-cli/2.15.0', 'AccessDenied', '2024-05-01T10:00:02.000Z'],
    ]);
  });

  it('stops at the page cap even when more pages exist', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: [event(1)], NextToken: 'more' });
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()) });
    const events = await queryCloudTrail({ accountId: ACCOUNT, region: REGION, attribute: { key: 'Username', value: 'alice' }, since: SINCE, until: UNTIL, maxPages: 3 }, deps);
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(3);
    expect(events).toHaveLength(3);
  });

  it('retries a throttled page with the same input, and the retry also waits for the rate limiter', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400, requestId: 'ct-throttle-1' } });
    ct.on(LookupEventsCommand).rejectsOnce(throttled).resolves({ Events: [event(1)] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const clock = instantClock();
    const deps = testDeps({ aws: testAccess(captureLogger().log, clock) });
    await queryCloudTrail({ accountId: ACCOUNT, region: REGION, attribute: { key: 'Username', value: 'alice' }, since: SINCE, until: UNTIL }, deps);
    expect(ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input)).toEqual([expectedInput(), expectedInput()]);
    // 100 ms backoff (jitter fixed at 0.5 of the 200 ms base), then the limiter holds the retry until 500 ms after the first call
    expect(clock.sleeps).toEqual([100, 400]);
  });

  it('spaces a burst of lookups in one account and region 500 ms apart (2 per second), other regions unaffected', async () => {
    vi.useFakeTimers({ now: Date.parse('2024-05-01T12:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const sent: { at: number; region: string; user: string }[] = [];
    ct.on(LookupEventsCommand).callsFake(async (input: { LookupAttributes: { AttributeValue: string }[] }, getClient: () => CloudTrailClient) => {
      sent.push({ at: Date.now(), region: await getClient().config.region(), user: input.LookupAttributes[0]?.AttributeValue ?? '' });
      return { Events: [] };
    });
    const deps = testDeps({ aws: testAccess(captureLogger().log, systemClock) });
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const all = Promise.all([
      ...users.map((u) => queryCloudTrail({ accountId: ACCOUNT, region: REGION, attribute: { key: 'Username', value: u }, since: SINCE, until: UNTIL }, deps)),
      queryCloudTrail({ accountId: ACCOUNT, region: 'us-east-1', attribute: { key: 'Username', value: 'u1' }, since: SINCE, until: UNTIL }, deps),
    ]);
    await vi.advanceTimersByTimeAsync(5_000);
    await all;

    const start = Date.parse('2024-05-01T12:00:00Z');
    const inRegion = sent.filter((s) => s.region === REGION).map((s) => s.at - start);
    expect(inRegion).toEqual([0, 500, 1000, 1500, 2000]);
    expect(sent.filter((s) => s.region === 'us-east-1').map((s) => s.at - start)).toEqual([0]);
  });

  it('serves a burst about one principal from one lookup (Redis cache plus in-flight sharing)', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: [event(1), event(2)] });
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: tr.prefix });
    const q = (until: Date) => queryCloudTrail({ accountId: ACCOUNT, region: REGION, attribute: { key: 'AccessKeyId', value: 'AKIABURST' }, since: SINCE, until }, deps);

    const burst = await Promise.all([q(UNTIL), q(UNTIL), q(new Date('2024-05-01T16:11:00Z'))]);
    const later = await q(UNTIL);

    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(1);
    expect(burst.map((r) => r.length)).toEqual([2, 2, 2]);
    expect(later.map((e) => e.eventId)).toEqual(['ev-1', 'ev-2']);
    expect(await tr.redis.ttl(`${tr.prefix}:enrich:ct:${ACCOUNT}:${REGION}:AccessKeyId:AKIABURST:${SINCE.getTime()}:${UNTIL.getTime()}:5`)).toBeGreaterThan(200);
  });
});
