import { App } from '@slack/bolt';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUNTS_QUEUE, processHuntJob } from '../../src/hunt/jobs.js';
import type { LookupFn, LookupRequest } from '../../src/hunt/live.js';
import { loadHunts } from '../../src/hunt/load.js';
import { parseHuntCommand, registerHunt } from '../../src/hunt/slack.js';
import { createVerifyingReceiver } from '../../src/respond/verify.js';
import { ACCOUNT } from '../fixtures/respond/signals.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { STAND_IN_TOKEN } from '../helpers/slack-stand-in.js';
import { openHarness, postSigned, SECRET, SOC, until, USERS, type Harness } from '../respond/harness.js';

const hunts = loadHunts();
const ROOT_LOGIN = { eventID: 'r1', eventTime: '2026-11-30T07:00:00Z', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', sourceIPAddress: '192.0.2.44', userIdentity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` } };

function command(text: string, userId: string, responseUrl: string): string {
  return new URLSearchParams({ command: '/hunt', text, user_id: userId, channel_id: SOC, team_id: 'T0STANDIN', response_url: responseUrl, trigger_id: '1.2.3' }).toString();
}

function quietBolt() {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error' as never, setName: noop };
}

describe('/hunt', () => {
  let h: Harness;
  let bull: Redis;
  let queue: Queue;
  let app: App;
  let url: string;

  beforeEach(async () => {
    h = await openHarness();
    bull = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(HUNTS_QUEUE, { connection: bull, prefix: h.redis.prefix });
    app = new App({ receiver: createVerifyingReceiver({ signingSecret: SECRET }), token: STAND_IN_TOKEN, clientOptions: { slackApiUrl: h.slack.apiUrl }, logger: quietBolt() });
    registerHunt(app, { response: h.deps, hunts, queue });
    const server = (await app.start(0)) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    await app.stop();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    bull.disconnect();
    await h.close();
  });

  const reply = (id: string) => until(async () => h.slack.responses.find((r) => r.id === id)).then((r) => JSON.stringify(r.body));

  it('lists the hunts for someone who may see detections', async () => {
    await postSigned(url, command('', USERS.analyst, h.slack.responseUrl('l1')));
    const text = await reply('l1');
    expect(text).toContain(`${hunts.hunts.length} hunt(s)`);
    expect(text).toContain('root-activity (T1078.004, 30d): Root user activity');
  });

  it('refuses a caller without the analyst role and audits the refusal', async () => {
    await postSigned(url, command(`root-activity ${ACCOUNT} 7d`, USERS.stranger, h.slack.responseUrl('s1')));
    expect(await reply('s1')).toContain('query cloudtrail needs the analyst role');
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 0 });
    expect((await h.ctx.audit.recent())[0]).toMatchObject({ user: USERS.stranger, action: 'hunt', target: `root-activity@${ACCOUNT}`, result: 'refused', tenant: 'acme' });
  });

  it('queues a hunt for an analyst, then runs it, posts a thread summary with the result file, and audits both', async () => {
    await postSigned(url, command(`root-activity ${ACCOUNT} 7d`, USERS.analyst, h.slack.responseUrl('a1')));
    expect(await reply('a1')).toContain(`Hunting root-activity in ${ACCOUNT} (us-west-2) since 2026-11-24T09:00:00.000Z`);
    const [job] = await queue.getJobs(['waiting']);
    expect(job?.data).toEqual({
      huntId: 'root-activity',
      accountId: ACCOUNT,
      regions: ['us-west-2'],
      since: '2026-11-24T09:00:00.000Z',
      until: '2026-12-01T09:00:00.000Z',
      tenantId: 'acme',
      actor: { userId: USERS.analyst, roles: ['analyst'] },
      reply: { channel: SOC, userId: USERS.analyst, responseUrl: h.slack.responseUrl('a1') },
    });

    const requests: LookupRequest['attribute'][] = [];
    const lookup: LookupFn = async function* (req) {
      requests.push(req.attribute);
      yield ROOT_LOGIN;
    };
    await processHuntJob({ response: h.deps, hunts, lookup }, job?.data);

    expect(requests).toEqual([{ key: 'Username', value: 'root' }]);
    const posts = h.slack.callsTo('chat.postMessage');
    const progressTs = h.slack.callsTo('chat.update')[0]?.args.ts;
    expect(progressTs).toMatch(/^1700000000\.\d+$/);
    expect(posts.map((p) => p.args.thread_ts)).toEqual([undefined, progressTs]);
    expect(String(posts[1]?.args.blocks)).toContain('ConsoleLogin');
    expect(String(h.slack.callsTo('chat.update')[0]?.args.text)).toBe(`✅ Hunt root-activity in ${ACCOUNT} (us-west-2): 1 group(s)`);
    expect(String(h.slack.callsTo('files.completeUploadExternal')[0]?.args.files)).toContain(`hunt-root-activity-${ACCOUNT}-2026-12-01.json`);
    const trail = (await h.ctx.audit.recent()).map((e) => [e.action, e.result, e.detail]);
    expect(trail).toEqual([
      ['hunt', 'ok', '1 group(s) from 1 match(es) in 1 record(s), 1 search(es)'],
      ['hunt', 'requested', 'us-west-2 since 2026-11-24T09:00:00.000Z'],
    ]);
  });

  it('reports a failed search in the progress message and the audit trail', async () => {
    await postSigned(url, command(`root-activity ${ACCOUNT} eu-west-1,us-east-1`, USERS.analyst, h.slack.responseUrl('f1')));
    await reply('f1');
    const [job] = await queue.getJobs(['waiting']);
    const failing: LookupFn = async function* () {
      yield* [];
      throw new Error('cloudtrail:LookupEvents: client (AccessDeniedException) <!channel>');
    };
    await processHuntJob({ response: h.deps, hunts, lookup: failing }, job?.data);
    expect(String(h.slack.callsTo('chat.update')[0]?.args.text)).toBe(`⚠️ Hunt root-activity in ${ACCOUNT} (eu-west-1, us-east-1): failed (cloudtrail:LookupEvents: client (AccessDeniedException) !channel)`);
    expect((await h.ctx.audit.recent())[0]).toMatchObject({ action: 'hunt', result: 'failed' });
  });
});

describe('parsing /hunt', () => {
  const now = new Date('2026-12-01T09:00:00Z');

  it.each([
    ['root-activity 210987654321', { huntId: 'root-activity', accountId: '210987654321' }],
    ['root-activity 210987654321 eu-west-1,us-east-1 48h', { huntId: 'root-activity', accountId: '210987654321', regions: ['eu-west-1', 'us-east-1'], since: new Date('2026-11-29T09:00:00Z') }],
    ['access-key-from-many-networks 210987654321 accesskeyid=AKIAX 2026-11-30T00:00:00Z', { huntId: 'access-key-from-many-networks', accountId: '210987654321', override: { key: 'AccessKeyId', value: 'AKIAX' }, since: new Date('2026-11-30T00:00:00Z') }],
  ])('%s', (text, expected) => {
    expect(parseHuntCommand(text.split(' '), now)).toEqual(expected);
  });

  it.each([
    ['root-activity', 'Usage:'],
    ['root-activity 1234', 'The account must be a 12-digit account id.'],
    ['root-activity 210987654321 91d', 'CloudTrail event history keeps 90 days'],
    ['root-activity 210987654321 SourceIp=1.2.3.4', 'Unknown CloudTrail attribute SourceIp'],
    ['root-activity 210987654321 tomorrow', 'tomorrow is neither a region'],
    ['root-activity 210987654321 0h', '0h is neither a region'],
  ])('%s is refused', (text, message) => {
    expect(parseHuntCommand(text.split(' '), now)).toContain(message);
  });
});
