/**
 * Regression (from an adversarial review; issue 4, budgets): "CloudTrail `LookupEvents` … results cached
 * so a burst of findings about one principal costs one lookup."
 *
 * The related-activity window used to be anchored on each finding's own first-seen time and rounded to 5
 * minutes for the cache key, so findings about one key first seen minutes apart each paid their own
 * LookupEvents pages. The looked-up window now starts on the whole hour, and a window inside one looked
 * up moments ago reuses that answer (unless it hit the page cap): the burst shares one cache entry, and
 * each finding still reports (and summarizes) only its own ±6 h window.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityProvider } from '../../src/enrich/providers/activity.js';
import { runProvider } from '../../src/enrich/run.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { baseSignal, captureLogger, instantClock, testAccess, testDeps } from './support.js';

const ct = mockClient(CloudTrailClient);
let tr: TestRedis;

beforeAll(async () => {
  tr = await openTestRedis('breaker2-burst');
});
afterAll(async () => {
  ct.restore();
  await tr.cleanup();
});

describe('a burst of findings about one key', () => {
  it('costs one LookupEvents call', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: tr.prefix });
    const now = new Date('2024-05-01T11:00:00.000Z');
    const finding = (i: number, at: string) =>
      baseSignal({ id: `b2-burst-${i}`, firstSeen: at, lastSeen: at, actor: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAB2BURST00000001' } });

    const results = await Promise.all(
      [finding(1, '2024-05-01T10:01:00.000Z'), finding(2, '2024-05-01T10:07:00.000Z'), finding(3, '2024-05-01T10:13:00.000Z')].map((s) =>
        runProvider(activityProvider, s, deps, { deadline: 10_000, now }),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(ct.commandCalls(LookupEventsCommand).map((c) => [c.args[0].input.StartTime, c.args[0].input.EndTime])).toEqual([
      [new Date('2024-05-01T04:00:00.000Z'), new Date('2024-05-01T11:00:00.000Z')],
    ]);
    expect(results.map((r) => r.evidence[0]?.value)).toEqual([
      '0 in 2024-05-01T04:01:00.000Z – 2024-05-01T11:00:00.000Z',
      '0 in 2024-05-01T04:07:00.000Z – 2024-05-01T11:00:00.000Z',
      '0 in 2024-05-01T04:13:00.000Z – 2024-05-01T11:00:00.000Z',
    ]);
  });

  it('gives each finding only the events of its own window from the shared lookup', async () => {
    ct.reset();
    const at = (iso: string, i: number) => ({ EventId: `b2w-${i}`, EventName: 'ListBuckets', EventSource: 's3.amazonaws.com', EventTime: new Date(iso), CloudTrailEvent: '{}' });
    ct.on(LookupEventsCommand).resolves({ Events: [at('2024-05-01T10:30:00.000Z', 1), at('2024-05-01T04:05:00.000Z', 2)] });
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: tr.prefix });
    const now = new Date('2024-05-01T11:00:00.000Z');
    const finding = (i: number, at_: string) =>
      baseSignal({ id: `b2-window-${i}`, firstSeen: at_, lastSeen: at_, actor: { type: 'IAMUser', userName: 'bob', accessKeyId: 'AKIAB2BURST00000002' } });

    const early = await runProvider(activityProvider, finding(1, '2024-05-01T10:01:00.000Z'), deps, { deadline: 10_000, now });
    const late = await runProvider(activityProvider, finding(2, '2024-05-01T10:13:00.000Z'), deps, { deadline: 10_000, now });

    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(1);
    expect(early.evidence[0]?.value).toBe('2 in 2024-05-01T04:01:00.000Z – 2024-05-01T11:00:00.000Z');
    expect(late.evidence[0]?.value).toBe('1 in 2024-05-01T04:13:00.000Z – 2024-05-01T11:00:00.000Z');
  });

  it('a finding whose window lies inside one looked up moments ago reuses it, across the hour', async () => {
    ct.reset();
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: tr.prefix });
    const now = new Date('2024-05-01T11:30:00.000Z');
    const finding = (i: number, at: string) =>
      baseSignal({ id: `b2-hour-${i}`, firstSeen: at, lastSeen: at, actor: { type: 'IAMUser', userName: 'carol', accessKeyId: 'AKIAB2BURST00000003' } });

    await runProvider(activityProvider, finding(1, '2024-05-01T10:58:00.000Z'), deps, { deadline: 10_000, now });
    const later = await runProvider(activityProvider, finding(2, '2024-05-01T11:03:00.000Z'), deps, { deadline: 10_000, now });

    expect(ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.StartTime)).toEqual([new Date('2024-05-01T04:00:00.000Z')]);
    expect(later.evidence[0]?.value).toBe('0 in 2024-05-01T05:03:00.000Z – 2024-05-01T11:30:00.000Z');
  });

  it('a window whose answer hit the page cap is not reused for a narrower one', async () => {
    ct.reset();
    const full = Array.from({ length: 50 }, (_, i) => ({ EventId: `cap-${i}`, EventName: 'GetObject', EventSource: 's3.amazonaws.com', EventTime: new Date(Date.parse('2024-05-01T11:00:00.000Z') - i * 1000), CloudTrailEvent: '{}' }));
    ct.on(LookupEventsCommand).resolves({ Events: full, NextToken: 'more' });
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: tr.prefix, settings: { windowHours: 6, maxPages: 1, similarDays: 30 } });
    const now = new Date('2024-05-01T11:30:00.000Z');
    const finding = (i: number, at: string) =>
      baseSignal({ id: `b2-cap-${i}`, firstSeen: at, lastSeen: at, actor: { type: 'IAMUser', userName: 'erin', accessKeyId: 'AKIAB2BURST00000004' } });

    await runProvider(activityProvider, finding(1, '2024-05-01T10:58:00.000Z'), deps, { deadline: 10_000, now });
    await runProvider(activityProvider, finding(2, '2024-05-01T11:03:00.000Z'), deps, { deadline: 10_000, now });

    expect(ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.StartTime)).toEqual([new Date('2024-05-01T04:00:00.000Z'), new Date('2024-05-01T05:00:00.000Z')]);
  });
});
