/**
 * Counts LookupEvents calls for a burst of findings about one key:
 * `npx tsx test/enrich/measure-burst.ts`. Twenty findings first seen a minute
 * and a half apart (10:45 to 11:13, across an hour boundary) are enriched,
 * all at once and then one after another, against real Redis and a mocked
 * CloudTrail, with the related-activity provider.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { activityProvider } from '../../src/enrich/providers/activity.js';
import { runProvider } from '../../src/enrich/run.js';
import { openTestRedis } from '../helpers/redis.js';
import { baseSignal, captureLogger, instantClock, testAccess, testDeps } from './support.js';

const ct = mockClient(CloudTrailClient);
ct.on(LookupEventsCommand).resolves({ Events: [] });
const now = new Date('2024-05-01T11:30:00.000Z');

async function burst(mode: 'parallel' | 'sequential', key: string): Promise<number> {
  const tr = await openTestRedis('measure-burst');
  ct.resetHistory();
  const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: tr.prefix });
  const findings = Array.from({ length: 20 }, (_, i) => {
    const at = new Date(Date.parse('2024-05-01T10:45:00.000Z') + i * 90_000).toISOString();
    return baseSignal({ id: `burst-${i}`, firstSeen: at, lastSeen: at, actor: { type: 'IAMUser', userName: 'alice', accessKeyId: key } });
  });
  const run = (s: (typeof findings)[number]) => runProvider(activityProvider, s, deps, { deadline: 10_000, now });
  if (mode === 'parallel') await Promise.all(findings.map(run));
  else for (const f of findings) await run(f);
  const calls = ct.commandCalls(LookupEventsCommand).length;
  await tr.cleanup();
  return calls;
}

const parallel = await burst('parallel', 'AKIAMEASUREBURST0001');
const sequential = await burst('sequential', 'AKIAMEASUREBURST0002');
process.stdout.write(`20 findings, parallel: ${parallel} LookupEvents call(s); sequential: ${sequential}\n`);
ct.restore();
