import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ViewId } from '../../blocks/view-ids.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import { OfflineGeo } from '../../src/geo/lookup.js';
import { IntelStore } from '../../src/intel/store.js';
import { openRuntime, type Runtime } from '../../src/queue/runtime.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { alertIdFor } from '../../src/respond/alerts.js';
import { responseContext, type ResponseContext } from '../../src/respond/context.js';
import { createSuppressionStore, type Suppression } from '../../src/respond/suppressions.js';
import { startServer, type PicketServer } from '../../src/server/compose.js';
import { clickBody, postSigned, SECRET as SIGNING_SECRET, submitBody } from '../respond/harness.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { STAND_IN_TOKEN } from '../helpers/slack-stand-in.js';
import { startRespondStandIn, type RespondStandIn } from '../helpers/slack-stand-in-respond.js';

/**
 * `serve` as production runs it, on loopback: a finding enters through the
 * HTTPS intake, the card is posted at the Slack stand-in, enrichment (AWS
 * SDK mocked) redraws it with evidence and puts the related events in the
 * thread, and signed Slack interactions deactivate the key through the real
 * actions worker, or are refused for a stranger.
 */

const CONFIG = loadConfig(new URL('../fixtures/server/picket.yml', import.meta.url).pathname);
const INTEL = new URL('../fixtures/server/intel.yml', import.meta.url).pathname;
const INTAKE_SECRET = 'serve-e2e-intake-secret';
const SOC = 'C0SERVESOC';
const ACCOUNT = '111122223333';
const KEY = 'AKIAZZSERVEE2E000001';
const FINDING = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const RESPONDER = 'U0RESPOND';
const STRANGER = 'U0STRANGER';
const CARD_TS = '1700000000.000001';
const CREATED = new Date('2023-01-02T03:04:05.000Z');
const SUPPRESSED_TYPE = 'Recon:IAMUser/MaliciousIPCaller';

/** A GuardDuty finding about an IAM user's long-term key, called from the address the intel file marks bad. */
function keyFinding(id = FINDING, type = 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom'): Record<string, unknown> {
  return {
    version: '0', id: `evt-${id}`, 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', account: ACCOUNT,
    time: '2024-05-01T10:15:00.000Z', region: 'us-east-1', resources: [],
    detail: {
      schemaVersion: '2.0', accountId: ACCOUNT, region: 'us-east-1', partition: 'aws', id,
      arn: `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/d0e1f2a3b4c5/finding/${id}`,
      type,
      resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: KEY, principalId: 'AIDAZZSERVEE2E000001', userName: 'build-bot', userType: 'IAMUser' } },
      service: {
        serviceName: 'guardduty', detectorId: 'd0e1f2a3b4c5', archived: false, count: 1,
        eventFirstSeen: '2024-05-01T10:00:00.000Z', eventLastSeen: '2024-05-01T10:15:00.000Z',
        action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'ListBuckets', serviceName: 's3.amazonaws.com', callerType: 'Remote IP', remoteIpDetails: { ipAddressV4: '203.0.113.77' } } },
      },
      severity: 5, createdAt: '2024-05-01T10:05:00.000Z', updatedAt: '2024-05-01T10:15:00.000Z',
      title: 'API ListBuckets was invoked from an IP address on a custom threat list.',
      description: 'An API was used to access a bucket from IP address 203.0.113.77.',
    },
  };
}

function trailEvent(id: string, name: string, time: string, errorCode?: string) {
  const record = { eventID: id, eventName: name, eventSource: 's3.amazonaws.com', eventTime: time, sourceIPAddress: '203.0.113.77', userAgent: 'aws-cli/2.15.0', awsRegion: 'us-east-1', ...(errorCode ? { errorCode } : {}) };
  return { EventId: id, EventName: name, EventSource: 's3.amazonaws.com', EventTime: new Date(time), Username: 'build-bot', AccessKeyId: KEY, CloudTrailEvent: JSON.stringify(record) };
}

function accessDenied(requestId: string): Error {
  return Object.assign(new Error('User is not authorized to perform iam:GetUser'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403, requestId } });
}

/** IAM as the remediation role sees it: GetUser is not granted; the key's status changes only through UpdateAccessKey. */
function fakeIam(iam: AwsClientStub<IAMClient>, key: { status: 'Active' | 'Inactive' }): void {
  iam.on(GetUserCommand).rejects(accessDenied('req-getuser-denied'));
  iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'build-bot', AccessKeyLastUsed: { LastUsedDate: new Date('2024-05-01T10:14:00.000Z'), ServiceName: 's3', Region: 'us-east-1' }, $metadata: { requestId: 'req-last-used' } });
  iam.on(ListAccessKeysCommand).callsFake(() => ({ AccessKeyMetadata: [{ UserName: 'build-bot', AccessKeyId: KEY, Status: key.status, CreateDate: CREATED }], $metadata: { requestId: 'req-list' } }));
  iam.on(UpdateAccessKeyCommand).callsFake((input: { Status: 'Active' | 'Inactive' }) => {
    key.status = input.Status;
    return { $metadata: { requestId: 'req-update-1' } };
  });
}

/** The remediation confirm modal, submitted. */
function confirmBody(meta: object, userId: string): string {
  return submitBody(ViewId.remediate, JSON.stringify(meta), userId, {});
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  for (let i = 0; i < 1_000; i += 1) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what}: not reached`);
}

/** The WebClient sends nested arguments as JSON strings inside a form body. */
function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

describe('picket serve: intake → card → enrichment → response (HTTP mode, stand-in Slack, mocked AWS)', () => {
  let t: TestRedis;
  let slack: RespondStandIn;
  let runtime: Runtime;
  let server: PicketServer;
  let iam: AwsClientStub<IAMClient>;
  let cloudtrail: AwsClientStub<CloudTrailClient>;
  let ctx: ResponseContext;
  let base: string;
  let suppression: Suppression;
  const key = { status: 'Active' as 'Active' | 'Inactive' };
  const alertId = alertIdFor(`gd:${ACCOUNT}:${FINDING}`);
  const updates = () => slack.callsTo('chat.update').filter((c) => c.args.ts === CARD_TS);
  const value = () => encodeButtonValue(FINDING, 'guardduty:UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom');

  beforeAll(async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    t = await openTestRedis('serve');
    slack = await startRespondStandIn();
    iam = mockClient(IAMClient);
    cloudtrail = mockClient(CloudTrailClient);
    fakeIam(iam, key);
    cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        trailEvent('ev-1', 'ListBuckets', '2024-05-01T10:00:30.000Z'),
        trailEvent('ev-2', 'GetObject', '2024-05-01T10:05:00.000Z'),
        trailEvent('ev-3', 'PutBucketPolicy', '2024-05-01T10:10:00.000Z', 'AccessDenied'),
      ],
      $metadata: { requestId: 'req-lookup-1' },
    });
    runtime = await openRuntime({ log: silentLogger, settings: { redisUrl: t.url, prefix: t.prefix, queueName: QUEUE_NAME } });
    // A live suppression from an earlier DUET answer: serve loads it at start and triage honours it.
    suppression = await createSuppressionStore(t.redis, t.prefix).add(
      { tenant: 'acme', ruleId: `guardduty:${SUPPRESSED_TYPE}`, match: { accountId: ACCOUNT }, owner: 'U0CONTACT', reason: 'scheduled scan', expiresAt: '2099-01-01T00:00:00.000Z' },
      new Date(),
    );
    const intel = new IntelStore([INTEL]);
    intel.load();
    server = await startServer({
      runtime, config: CONFIG, log: silentLogger, write: () => undefined, listen: { port: 0, host: '127.0.0.1' },
      secrets: { slackBotToken: STAND_IN_TOKEN, slackSigningSecret: SIGNING_SECRET, intakeSecret: INTAKE_SECRET, redisUrl: t.url },
      slackApiUrl: slack.apiUrl, offline: { intel, geo: new OfflineGeo() }, env: {},
      responseUrlAllowed: (url) => url.startsWith(slack.url),
    });
    base = `http://127.0.0.1:${server.port}`;
    if (!server.response) throw new Error('HTTP mode runs the response side');
    ctx = responseContext(server.response);
  });

  afterAll(async () => {
    await server?.close();
    await runtime?.close();
    iam?.restore();
    cloudtrail?.restore();
    await slack?.close();
    await t?.cleanup();
  });

  it('posts the card, then redraws it with evidence and puts the related events in its thread', async () => {
    const started = performance.now();
    const reply = await fetch(`${base}${CONFIG.intake.path}`, { method: 'POST', headers: { authorization: `Bearer ${INTAKE_SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify(keyFinding()) });
    expect(reply.status).toBe(202);

    const enriched = await until('card enriched', () => updates().find((c) => json(c.args.blocks).includes('*Evidence*')));
    // The figure the report quotes; no threshold is asserted on it.
    process.stdout.write(`serve e2e: intake 202 → enriched card in ${(performance.now() - started).toFixed(0)} ms\n`);

    const posts = slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined);
    expect(posts.map((c) => [c.args.channel, c.token])).toEqual([[SOC, STAND_IN_TOKEN]]);
    expect(json(posts[0]?.args.blocks)).not.toContain('*Evidence*');

    const blocks = JSON.parse(json(enriched.args.blocks)) as { type: string; text?: { text: string }; elements?: { text?: string }[] }[];
    const evidence = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Evidence*'));
    expect(evidence?.text?.text.split('\n')).toEqual([
      '*Evidence*',
      '🔴 *203.0.113.77*: staging host from the serve test (serve-e2e)  _intel_',
      '• *203.0.113.77*: documentation address  _geo_',
      '• *key type*: long-term (IAM user)  _access-key_',
      '• *owner*: IAM user build-bot  _access-key_',
      '• *last used*: 2024-05-01T10:14:00.000Z s3 us-east-1  _access-key_',
      '• *deactivatable*: yes  _access-key_',
      '• *events*: 3 in 2024-05-01T04:00:00.000Z – 2024-05-01T16:15:00.000Z  _activity_',
      '• *calls*: s3:GetObject ×1, s3:ListBuckets ×1, s3:PutBucketPolicy ×1  _activity_',
      '• *AccessDenied*: 1 of 3 (33%)  _activity_',
      '• *source 203.0.113.77*: 3 calls · documentation address  _activity_',
      '• *user agents*: aws-cli/2.15.0 ×3  _activity_',
      '• *new IPs/ASNs*: first observation of this principal: baseline recorded  _activity_',
      '• *similar alerts*: none in 30 days  _similar_',
    ]);
    const contexts = blocks.filter((b) => b.type === 'context').map((b) => b.elements?.[0]?.text);
    expect(contexts).toContain('1 notable finding from enrichment');
    expect(contexts).toContain('_iam-user_ unavailable: access-denied: iam:GetUser (request req-getuser-denied)');
    expect(blocks.at(-2)?.type).toBe('actions');

    expect(cloudtrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input)).toEqual([
      { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }], StartTime: new Date('2024-05-01T04:00:00.000Z'), EndTime: new Date('2024-05-01T16:15:00.000Z'), MaxResults: 50 },
    ]);
    expect(iam.commandCalls(GetUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'build-bot' }]);
  });

  it('uploads the related-event list and the timeline to the alert thread, and indexes the alert with its link', async () => {
    const completed = await until('files uploaded', () => {
      const calls = slack.callsTo('files.completeUploadExternal');
      return calls.length === 2 && calls;
    });
    expect(slack.callsTo('files.getUploadURLExternal').map((c) => c.args.filename)).toEqual(['related-events.csv', 'activity-timeline.png']);
    expect(completed.map((c) => [c.args.channel_id, c.args.thread_ts])).toEqual([[SOC, CARD_TS], [SOC, CARD_TS]]);
    expect(JSON.parse(json(completed[0]?.args.files))).toEqual([{ id: 'F0000002', title: `CloudTrail events of ${KEY} (3)` }]);

    const stored = await ctx.alerts.get(alertId);
    expect(stored?.evidence).toHaveLength(13);
    expect(stored?.enrichment?.filter((e) => e.status !== 'ok')).toEqual([
      { provider: 'iam-user', status: 'unavailable', reason: 'access-denied: iam:GetUser (request req-getuser-denied)' },
    ]);
    const indexed = JSON.parse((await t.redis.get(`${t.prefix}:enrich:alert:acme:${FINDING}`)) ?? '{}') as Record<string, unknown>;
    expect(indexed.permalink).toBe(`https://stand-in.slack.test/archives/${SOC}/p1700000000000001`);
  });

  it('refuses a Slack request signed with a timestamp from the future (the verifying receiver is in front)', async () => {
    const future = Math.floor(Date.now() / 1000) + 600;
    const res = await postSigned(`${base}/slack/events`, clickBody(ActionId.deactivateKey, value(), RESPONDER, SOC), { timestamp: future });
    expect(res.status).toBe(401);
    expect(slack.callsTo('views.open')).toHaveLength(0);
  });

  it('a responder deactivates the key: one UpdateAccessKey, verified with ListAccessKeys, and the card says inactive', async () => {
    expect((await postSigned(`${base}/slack/events`, clickBody(ActionId.deactivateKey, value(), RESPONDER, SOC))).status).toBe(200);
    const confirm = await until('confirmation filled', () => slack.callsTo('views.update')[0]);
    expect(slack.callsTo('views.open')).toHaveLength(1);
    expect(json(confirm.args.view)).toContain(`\`${KEY}\``);
    expect(json(confirm.args.view)).toContain('*Owner*\\n`build-bot`');

    const meta = { alertId, op: 'deactivate', generation: 0 };
    for (let i = 0; i < 2; i += 1) expect((await postSigned(`${base}/slack/events`, confirmBody(meta, RESPONDER))).status).toBe(200);
    const card = await until('card says inactive', () => updates().find((c) => json(c.args.blocks).includes('IAM confirms it is Inactive')));
    // Idle apart from the delayed acknowledgement reminder the new alert scheduled.
    await until('actions queue idle', async () => {
      const counts = await server.response?.queue.getJobCounts('waiting', 'active');
      return counts && (counts.waiting ?? 0) + (counts.active ?? 0) === 0;
    });

    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'build-bot', AccessKeyId: KEY, Status: 'Inactive' }]);
    expect(iam.commandCalls(ListAccessKeysCommand).at(-1)?.args[0].input).toEqual({ UserName: 'build-bot' });
    expect(key.status).toBe('Inactive');
    const text = json(card.args.blocks);
    expect(text).toContain(`Access key \`${KEY}\` deactivated by <@${RESPONDER}>; IAM confirms it is Inactive`);
    expect(text).toContain(ActionId.reactivateKey);
    expect(text).toContain('staging host from the serve test');

    const done = (await ctx.audit.recent({ alertId, limit: 20 })).filter((e) => e.action === 'deactivate_key');
    expect(done.map((e) => [e.user, e.role, e.result, e.awsRequestId])).toEqual([
      [RESPONDER, 'responder', 'ok', 'req-update-1'],
      [RESPONDER, 'responder', 'requested', undefined],
      [RESPONDER, 'responder', 'requested', undefined],
    ]);
  });

  it('the same click and submission from a stranger are refused, audited, and leave the card and the key alone', async () => {
    const cardUpdates = updates().length;
    const opened = slack.callsTo('views.open').length;

    expect((await postSigned(`${base}/slack/events`, clickBody(ActionId.deactivateKey, value(), STRANGER, SOC))).status).toBe(200);
    expect((await postSigned(`${base}/slack/events`, confirmBody({ alertId, op: 'deactivate', generation: 0 }, STRANGER))).status).toBe(200);
    const refused = await until('two refusals audited', async () => {
      const entries = (await ctx.audit.recent({ alertId, limit: 50 })).filter((e) => e.user === STRANGER);
      return entries.length === 2 && entries;
    });

    expect(refused.map((e) => [e.action, e.role, e.result])).toEqual([
      ['deactivate_key', 'none', 'refused'],
      ['deactivate_key', 'none', 'refused'],
    ]);
    const told = slack.callsTo('chat.postEphemeral').filter((c) => c.args.user === STRANGER);
    expect(told.map((c) => [c.args.channel, String(c.args.text).startsWith("🚫 You can't do that here")])).toEqual([[SOC, true]]);
    expect(updates()).toHaveLength(cardUpdates);
    expect(slack.callsTo('views.open')).toHaveLength(opened);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
  });

  it('a finding a live suppression covers is counted as suppressed and posts nothing', async () => {
    const posts = slack.callsTo('chat.postMessage').length;
    const intake = (id: string, type: string) => fetch(`${base}${CONFIG.intake.path}`, { method: 'POST', headers: { authorization: `Bearer ${INTAKE_SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify(keyFinding(id, type)) });
    expect((await intake('b0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5', SUPPRESSED_TYPE)).status).toBe(202);
    const stats = await until('suppression counted', async () => {
      const read = await runtime.stats.read();
      return (read.outcomes.suppressed ?? 0) > 0 && read;
    });
    expect(stats.outcomes).toMatchObject({ alert: 1, suppressed: 1 });
    expect(Object.entries(stats.rules).filter(([k]) => k.startsWith('suppressed:'))).toEqual([[`suppressed:${suppression.id}`, 1]]);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(posts);
  });
});
