import { describe, expect, it } from 'vitest';
import { runLiveHunt, type LookupFn, type LookupRequest } from '../../src/hunt/live.js';
import { loadHunts } from '../../src/hunt/load.js';

const hunts = loadHunts();
const NOW = new Date('2026-12-10T12:00:00.000Z');
const ACCOUNT = '111122223333';

function hunt(id: string) {
  const found = hunts.find(id);
  if (!found) throw new Error(`no hunt ${id}`);
  return found;
}

/** A lookup that records each request (without its signal) and answers from a table keyed by attribute value. */
function fakeLookup(answers: Record<string, Record<string, unknown>[]>) {
  const requests: Omit<LookupRequest, 'signal'>[] = [];
  const lookup: LookupFn = async function* (req) {
    const { signal: _signal, ...rest } = req;
    requests.push(rest);
    for (const record of answers[`${req.region}/${req.attribute.value}`] ?? answers[req.attribute.value] ?? []) yield record;
  };
  return { lookup, requests };
}

describe('live hunts', () => {
  it('searches each lookup value in each region over the hunt window with the page cap', async () => {
    const fake = fakeLookup({});
    const result = await runLiveHunt(hunt('secrets-read-fan-out'), { accountId: ACCOUNT, regions: ['eu-west-1', 'us-east-1'], lookup: fake.lookup, now: () => NOW, maxPages: 4 });
    const since = new Date('2026-12-09T12:00:00.000Z');
    expect(fake.requests).toEqual(
      ['GetSecretValue', 'BatchGetSecretValue', 'GetParameters', 'GetParameter'].flatMap((value) =>
        ['eu-west-1', 'us-east-1'].map((region) => ({ accountId: ACCOUNT, region, attribute: { key: 'EventName', value }, since, until: NOW, maxPages: 4 })),
      ),
    );
    expect(result).toMatchObject({ huntId: 'secrets-read-fan-out', searches: 8, scanned: 0, groups: [], since: since.toISOString(), until: NOW.toISOString() });
    expect(result.stoppedBy).toBeUndefined();
  });

  it('pivots from new keys to AccessKeyId searches and groups what it finds', async () => {
    const created = { eventID: 'c1', eventTime: '2026-12-09T09:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', sourceIPAddress: '198.51.100.10', userIdentity: { type: 'IAMUser' }, responseElements: { accessKey: { accessKeyId: 'AKIANEWKEY0000000001' } } };
    const used = { eventID: 'u1', eventTime: '2026-12-09T09:30:00Z', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', sourceIPAddress: '203.0.113.66', userIdentity: { type: 'IAMUser', accessKeyId: 'AKIANEWKEY0000000001' } };
    const fake = fakeLookup({ CreateAccessKey: [created], AKIANEWKEY0000000001: [used, created] });
    const result = await runLiveHunt(hunt('new-access-key-used-from-another-address'), { accountId: ACCOUNT, regions: ['us-east-1'], lookup: fake.lookup, now: () => NOW });
    expect(fake.requests.map((r) => r.attribute)).toEqual([
      { key: 'EventName', value: 'CreateAccessKey' },
      { key: 'AccessKeyId', value: 'AKIANEWKEY0000000001' },
    ]);
    expect(fake.requests[0]?.since).toEqual(new Date('2026-12-03T12:00:00.000Z'));
    expect(result.scanned).toBe(2);
    expect(result.groups.map((g) => [g.key, g.count, g.values])).toEqual([[{ 'responseElements.accessKey.accessKeyId': 'AKIANEWKEY0000000001' }, 2, ['198.51.100.10', '203.0.113.66']]]);
  });

  it('uses an override instead of the hunt lookup, and clamps the window to 90 days', async () => {
    const fake = fakeLookup({});
    await runLiveHunt(hunt('access-key-from-many-networks'), { accountId: ACCOUNT, regions: ['us-east-1'], lookup: fake.lookup, until: NOW, since: new Date('2026-01-01T00:00:00Z'), override: { key: 'AccessKeyId', value: 'AKIAONE' } });
    expect(fake.requests).toEqual([{ accountId: ACCOUNT, region: 'us-east-1', attribute: { key: 'AccessKeyId', value: 'AKIAONE' }, since: new Date('2026-09-11T12:00:00.000Z'), until: NOW, maxPages: 10 }]);
  });

  it('stops reading a search at the page cap and says the result is partial', async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ eventID: `e${i}`, eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', userIdentity: { type: 'Root' } }));
    const fake = fakeLookup({ root: many });
    const result = await runLiveHunt(hunt('root-activity'), { accountId: ACCOUNT, regions: ['us-east-1'], lookup: fake.lookup, now: () => NOW, maxPages: 2 });
    expect([result.scanned, result.matched, result.stoppedBy, result.truncated]).toEqual([100, 100, 'page-cap', true]);
  });

  it('stops at the time budget even when a page never arrives', async () => {
    let aborted = false;
    const stalled: LookupFn = async function* (req) {
      yield { eventID: 'r1', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', userIdentity: { type: 'Root' } };
      await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted = req.signal.aborted;
    };
    const result = await runLiveHunt(hunt('root-activity'), { accountId: ACCOUNT, regions: ['us-east-1', 'eu-west-1'], lookup: stalled, now: () => NOW, budgetMs: 20 });
    expect([result.scanned, result.searches, result.stoppedBy, result.truncated, aborted]).toEqual([1, 1, 'time-budget', true, true]);
  });
});
