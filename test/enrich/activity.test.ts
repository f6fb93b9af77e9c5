import { writeFileSync } from 'node:fs';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activityProvider } from '../../src/enrich/providers/activity.js';
import { timelineProvider } from '../../src/enrich/providers/timeline.js';
import { runProvider } from '../../src/enrich/run.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { ACCOUNT, baseSignal, captureLogger, fixedGeo, instantClock, testAccess, testDeps } from './support.js';

const ct = mockClient(CloudTrailClient);
let tr: TestRedis;
const NOW = new Date('2024-05-02T00:00:00Z');
const geo = fixedGeo({
  '203.0.113.66': { country: 'NL', asn: 64511, asnOrg: 'Example Hosting' },
  '198.51.100.9': { country: 'US', asn: 64496, asnOrg: 'Example Telecom' },
  '10.1.2.3': { special: 'private' },
});

beforeAll(async () => {
  tr = await openTestRedis('enrich-activity');
});
afterAll(async () => tr.cleanup());
afterEach(() => ct.reset());

let n = 0;
function ev(minute: number, name: string, source: string, ip: string, agent: string, errorCode?: string) {
  n += 1;
  const record = { eventID: `e${n}`, eventName: name, eventSource: source, sourceIPAddress: ip, userAgent: agent, ...(errorCode ? { errorCode } : {}) };
  return { EventId: `e${n}`, EventName: name, EventSource: source, EventTime: new Date(Date.parse('2024-05-01T08:00:00Z') + minute * 60_000), CloudTrailEvent: JSON.stringify(record) };
}

function events() {
  n = 0;
  const list = [];
  for (let i = 0; i < 6; i += 1) list.push(ev(i, 'ListBuckets', 's3.amazonaws.com', '198.51.100.9', 'aws-cli/2.15.0'));
  for (let i = 0; i < 6; i += 1) list.push(ev(120 + i, 'GetObject', 's3.amazonaws.com', '203.0.113.66', 'python-requests/2.31', 'AccessDenied'));
  list.push(ev(130, 'CreateAccessKey', 'iam.amazonaws.com', '203.0.113.66', 'python-requests/2.31'));
  list.push(ev(131, 'StopLogging', 'cloudtrail.amazonaws.com', '203.0.113.66', 'python-requests/2.31'));
  return list;
}

const signal = baseSignal({ id: 'act-1', actor: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAEXAMPLEALICE0001' }, remotes: [{ ip: '203.0.113.66' }] });

describe('activity provider', () => {
  it('summarizes the window, records a baseline the first time and flags a new ASN later', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: events() });
    const deps = testDeps({ geo, aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: tr.prefix });
    await tr.redis.sadd(`${tr.prefix}:enrich:seen:${ACCOUNT}:alice:ips`, '198.51.100.9');
    await tr.redis.sadd(`${tr.prefix}:enrich:seen:${ACCOUNT}:alice:asns`, 'AS64496');

    const result = await runProvider(activityProvider, signal, deps, { deadline: 10_000, now: NOW });

    expect(ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input)).toEqual([{
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIAEXAMPLEALICE0001' }],
      StartTime: new Date('2024-05-01T04:00:00Z'), EndTime: new Date('2024-05-01T16:15:00Z'), MaxResults: 50,
    }]);
    expect(result.evidence.map((e) => `${e.field} = ${e.value}${e.verdict ? ` [${e.verdict}]` : ''}`)).toEqual([
      'events = 14 in 2024-05-01T04:00:00.000Z – 2024-05-01T16:15:00.000Z',
      'calls = s3:GetObject ×6, s3:ListBuckets ×6, cloudtrail:StopLogging ×1, iam:CreateAccessKey ×1',
      'AccessDenied = 6 of 14 (43%) [suspicious]',
      'source 203.0.113.66 = 8 calls · NL · AS64511 Example Hosting',
      'source 198.51.100.9 = 6 calls · US · AS64496 Example Telecom',
      'user agents = python-requests/2.31 ×8 | aws-cli/2.15.0 ×6',
      'high-risk calls = cloudtrail:StopLogging ×1, iam:CreateAccessKey ×1 [bad]',
      'new ASN for this principal = AS64511 [suspicious]',
      'new IP for this principal = 203.0.113.66 [info]',
    ]);
    const csv = String(result.files?.[0]?.content ?? '');
    expect(csv.split('\n')[0]).toBe('eventTime,api,sourceIp,userAgent,errorCode,eventId');
    expect(csv.split('\n')).toHaveLength(16);
    expect(await tr.redis.smembers(`${tr.prefix}:enrich:seen:${ACCOUNT}:alice:asns`).then((m) => m.sort())).toEqual(['AS64496', 'AS64511']);
  });

  it('calls the first sighting of a principal a baseline rather than flagging everything', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: events() });
    const deps = testDeps({ geo, aws: testAccess(captureLogger().log, instantClock()), redis: tr.redis, prefix: `${tr.prefix}:fresh` });
    const result = await runProvider(activityProvider, signal, deps, { deadline: 10_000, now: NOW });
    expect(result.evidence.at(-1)).toEqual({ provider: 'activity', field: 'new IPs/ASNs', value: 'first observation of this principal: baseline recorded' });
  });
});

describe('timeline provider', () => {
  it('renders the activity as a PNG for the thread', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: events() });
    const deps = testDeps({ geo, aws: testAccess(captureLogger().log, instantClock()) });
    const result = await runProvider(timelineProvider, signal, deps, { deadline: 10_000, now: NOW });
    const file = result.files?.[0];
    const png = Buffer.isBuffer(file?.content) ? file.content : Buffer.alloc(0);
    expect(file?.name).toBe('activity-timeline.png');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 44 + 90 + 16 + 2 * 22 + 34]);
    if (process.env.PICKET_WRITE_TIMELINE) writeFileSync(process.env.PICKET_WRITE_TIMELINE, png);
  });
});
