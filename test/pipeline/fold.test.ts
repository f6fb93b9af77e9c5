import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCard } from '../../blocks/alert-card.js';
import { loadConfig } from '../../src/config/load.js';
import { LOCAL_CONFIG_FILE } from '../../src/config/resolve.js';
import type { OkItem } from '../../src/model/item.js';
import { createFolder, type Folder } from '../../src/pipeline/fold.js';
import { createTriageContext, triageItem, type TriageContext } from '../../src/pipeline/triage.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

/** A root console sign-in as CloudTrail records it; the rule folds by account and source IP for 1h. */
function rootLogin(eventID: string, eventTime: string, sourceIPAddress = '203.0.113.7'): OkItem {
  return {
    status: 'ok',
    kind: 'cloudtrail',
    origin: { file: 'test', index: 0, wrapper: 'cloudtrail-record' },
    doc: {
      eventVersion: '1.08', eventID, eventTime, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1', recipientAccountId: '111122223333', sourceIPAddress,
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', principalId: '111122223333' },
      responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No' },
    },
  };
}

describe('dedup folding of CloudTrail matches', () => {
  let redis: TestRedis;
  let ctx: TriageContext;
  let folder: Folder;

  beforeAll(async () => {
    redis = await openTestRedis('fold');
    ctx = await createTriageContext(loadConfig(LOCAL_CONFIG_FILE));
    folder = createFolder(redis.redis, redis.prefix, (signal, decision) => buildCard(signal, decision));
  });
  afterAll(async () => redis.cleanup());

  const fold = (item: OkItem) => folder.fold(triageItem(item, ctx));

  it('folds repeats within the window into one card key with a distinct-event count', async () => {
    const a = await fold(rootLogin('e-1', '2026-12-01T10:00:00Z'));
    const b = await fold(rootLogin('e-2', '2026-12-01T10:40:00Z'));
    const again = await fold(rootLogin('e-2', '2026-12-01T10:40:00Z'));

    expect(a.outcome).toBe('duet');
    expect(b.cardKey).toBe(a.cardKey);
    expect([a.signal?.count, b.signal?.count, again.signal?.count]).toEqual([1, 2, 2]);
    expect(b.signal?.firstSeen).toBe('2026-12-01T10:00:00.000Z');
    expect(b.signal?.lastSeen).toBe('2026-12-01T10:40:00.000Z');
    expect(JSON.stringify(b.card)).toContain('*Count*\\n2');
  });

  it('opens a new card after a quiet period longer than the window', async () => {
    const first = await fold(rootLogin('g-1', '2026-12-02T08:00:00Z', '198.51.100.9'));
    const later = await fold(rootLogin('g-2', '2026-12-02T09:30:01Z', '198.51.100.9'));
    expect(later.cardKey).not.toBe(first.cardKey);
    expect(later.cardKey?.endsWith('#2')).toBe(true);
    expect(later.signal?.count).toBe(1);
  });

  it('keeps different keys apart (another source IP is another card)', async () => {
    const x = await fold(rootLogin('k-1', '2026-12-03T08:00:00Z', '192.0.2.1'));
    const y = await fold(rootLogin('k-2', '2026-12-03T08:01:00Z', '192.0.2.2'));
    expect(x.cardKey).not.toBe(y.cardKey);
  });

  it('leaves GuardDuty findings alone', async () => {
    const item: OkItem = {
      status: 'ok', kind: 'guardduty-finding', origin: { file: 'test', index: 0, wrapper: 'finding' },
      doc: { id: 'a'.repeat(32), type: 'Recon:EC2/Portscan', accountId: '111122223333', region: 'us-east-1', severity: 5, service: { count: 4 } },
    };
    const triaged = triageItem(item, ctx);
    expect(await folder.fold(triaged)).toBe(triaged);
  });
});
