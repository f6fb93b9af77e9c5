/**
 * Promise broken (issue 4, budgets): "CloudTrail `LookupEvents` … results cached so a burst of findings
 * about one principal costs one lookup."
 *
 * Bug: the related-activity window is anchored on each finding's own first-seen time (±6 h), and the
 * cache key holds that window rounded to 5 minutes. Findings about one access key that arrive together
 * but were first seen a few minutes apart (the normal shape of a burst of CloudTrail-rule alerts, or
 * GuardDuty findings of different types for one key) each get their own window, their own cache key and
 * their own LookupEvents pages: a burst of N findings costs up to N × page-cap calls, all queued on the
 * 2-per-second budget of that account and region, delaying every other card's enrichment.
 *
 * Repro: three findings about AKIAB2BURST00000001, first seen 10:01, 10:07 and 10:13, enriched at 11:00
 * with the activity provider: LookupEvents is called three times.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityProvider } from '../../src/enrich/providers/activity.js';
import { runProvider } from '../../src/enrich/run.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { baseSignal, captureLogger, instantClock, testAccess, testDeps } from '../enrich/support.js';

const ct = mockClient(CloudTrailClient);
let tr: TestRedis;

beforeAll(async () => {
  tr = await openTestRedis('breaker2-burst');
});
afterAll(async () => {
  ct.restore();
  await tr.cleanup();
});

describe('breaker2: a burst of findings about one key', () => {
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
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });
});
