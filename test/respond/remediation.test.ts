import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand, PutRolePolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ViewId } from '../../blocks/view-ids.js';
import { processActionJob } from '../../src/respond/worker.js';
import type { AlertRecord } from '../../src/respond/types.js';
import { alertDecision, keySignal, roleSignal, ROLE_KEY, USER_KEY } from '../fixtures/respond/signals.js';
import { clickBody, count, openHarness, postSigned, responseSettings, startApp, submitBody, until, USERS, type Harness } from './harness.js';

const CREATED = new Date('2025-02-03T04:05:06.000Z');
const LAST_USED = new Date('2026-11-30T08:39:00.000Z');

/** The remediation confirm modal, submitted. */
function confirmBody(meta: object, userId: string): string {
  return submitBody(ViewId.remediate, JSON.stringify(meta), userId, {});
}

/** IAM as a tiny state machine: the key's status changes only through UpdateAccessKey. */
function fakeIam(iam: AwsClientStub<IAMClient>, state: { status: 'Active' | 'Inactive' }): void {
  iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'build-bot', AccessKeyLastUsed: { LastUsedDate: LAST_USED, ServiceName: 'secretsmanager', Region: 'us-west-2' }, $metadata: { requestId: 'req-last-used' } });
  iam.on(ListAccessKeysCommand).callsFake(() => ({ AccessKeyMetadata: [{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: state.status, CreateDate: CREATED }], $metadata: { requestId: 'req-list' } }));
  let n = 0;
  iam.on(UpdateAccessKeyCommand).callsFake((input: { Status: 'Active' | 'Inactive' }) => {
    state.status = input.Status;
    n += 1;
    return { $metadata: { requestId: `req-update-${n}` } };
  });
}

function updates(iam: AwsClientStub<IAMClient>) {
  return iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input);
}

/** The WebClient sends nested arguments as JSON strings inside a form body. */
function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function lastCardText(h: Harness): string {
  return json(h.slack.callsTo('chat.update').at(-1)?.args.blocks ?? '');
}

describe('deactivate and reactivate an access key', () => {
  let h: Harness;
  let app: Awaited<ReturnType<typeof startApp>>;
  let iam: AwsClientStub<IAMClient>;
  let alert: AlertRecord;
  const state = { status: 'Active' as 'Active' | 'Inactive' };

  beforeAll(async () => {
    h = await openHarness();
    app = await startApp(h);
    iam = mockClient(h.iam);
    fakeIam(iam, state);
    alert = await h.postCard('alert', keySignal(), alertDecision());
  });
  afterAll(async () => {
    iam.restore();
    await app.stop();
    await h.close();
  });

  const value = () => encodeButtonValue(alert.signal.id, alert.ruleId);

  it('opens a confirmation that shows the key, its owner, created, last used and protect status', async () => {
    await postSigned(app.url, clickBody(ActionId.deactivateKey, value(), USERS.responder));
    await until(async () => (await count(h, 'waiting')) > 0);
    expect(h.slack.callsTo('views.open')).toHaveLength(1);
    await h.runQueued();

    const view = json(h.slack.callsTo('views.update')[0]?.args.view);
    expect(view).toContain(`\`${USER_KEY}\``);
    expect(view).toContain('*Owner*\\n`build-bot`');
    expect(view).toContain('*Created*\\n2025-02-03 04:05:06 UTC');
    expect(view).toContain('2026-11-30 08:39:00 UTC · `secretsmanager` · `us-west-2`');
    expect(view).toContain('*Protect list*\\nnot protected');
    expect(view).toContain('"submit":{"type":"plain_text","text":"Deactivate"');
    expect(updates(iam)).toEqual([]);
  });

  it('calls UpdateAccessKey exactly once for five submissions, verifies, and says so on the card', async () => {
    for (let i = 0; i < 5; i += 1) expect((await postSigned(app.url, confirmBody({ alertId: alert.id, op: 'deactivate', generation: 0 }, USERS.responder))).status).toBe(200);
    await until(async () => (await h.ctx.audit.recent({ limit: 10 })).filter((e) => e.result === 'requested').length === 5);
    expect(await h.runQueued()).toBe(1);

    expect(updates(iam)).toEqual([{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: 'Inactive' }]);
    expect(iam.commandCalls(ListAccessKeysCommand).at(-1)?.args[0].input).toEqual({ UserName: 'build-bot' });
    expect(lastCardText(h)).toContain(`Access key \`${USER_KEY}\` deactivated by <@${USERS.responder}>; IAM confirms it is Inactive`);
    expect(lastCardText(h)).toContain(ActionId.reactivateKey);
    const note = h.slack.callsTo('chat.postMessage').at(-1);
    expect(note?.args.thread_ts).toBe(alert.ts);
    expect(json(note?.args.blocks)).toContain(ActionId.reactivateKey);

    const [entry] = await h.ctx.audit.recent({ alertId: alert.id, limit: 1 });
    expect(entry).toMatchObject({ user: USERS.responder, role: 'responder', action: 'deactivate_key', target: USER_KEY, result: 'ok', awsRequestId: 'req-update-1' });
  });

  it('refuses Reactivate from an analyst and leaves the key alone', async () => {
    await postSigned(app.url, clickBody(ActionId.reactivateKey, value(), USERS.analyst));
    const refusal = await until(async () => (await h.ctx.audit.recent({ limit: 1 })).find((e) => e.result === 'refused'));
    expect(refusal).toMatchObject({ user: USERS.analyst, role: 'analyst', action: 'reactivate_key', result: 'refused' });
    expect(await h.queue.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });

  it('reactivates for a responder (undo), verifies, and offers Deactivate again', async () => {
    await postSigned(app.url, clickBody(ActionId.reactivateKey, value(), USERS.responder2));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();
    expect(updates(iam)).toEqual([
      { UserName: 'build-bot', AccessKeyId: USER_KEY, Status: 'Inactive' },
      { UserName: 'build-bot', AccessKeyId: USER_KEY, Status: 'Active' },
    ]);
    expect(lastCardText(h)).toContain(`reactivated by <@${USERS.responder2}>; IAM confirms it is Active`);
    expect(lastCardText(h)).toContain(ActionId.deactivateKey);
    expect((await h.ctx.alerts.get(alert.id))?.remediation).toMatchObject({ op: 'reactivate', result: 'active', generation: 1 });
    const [entry] = await h.ctx.audit.recent({ alertId: alert.id, limit: 1 });
    expect(entry).toMatchObject({ user: USERS.responder2, role: 'responder', action: 'reactivate_key', result: 'ok', awsRequestId: 'req-update-2' });
  });
});

describe('retries and protected principals', () => {
  let h: Harness;
  let iam: AwsClientStub<IAMClient>;
  const state = { status: 'Active' as 'Active' | 'Inactive' };

  beforeEach(async () => {
    h = await openHarness();
    iam = mockClient(h.iam);
    state.status = 'Active';
    fakeIam(iam, state);
  });
  afterEach(async () => {
    iam.restore();
    await h.close();
  });

  const job = (alert: AlertRecord, over: object = {}) => ({ type: 'remediate', op: 'deactivate', alertId: alert.id, actor: { userId: USERS.responder, roles: ['responder'] }, generation: 0, ...over });

  it('does not repeat UpdateAccessKey when the job is retried after the call succeeded', async () => {
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    let listCalls = 0;
    iam.on(ListAccessKeysCommand).callsFake(() => {
      listCalls += 1;
      // Call 1 is the owner lookup, call 2 the read-back after UpdateAccessKey succeeded.
      if (listCalls === 2) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { requestId: 'req-throttled' } });
      return { AccessKeyMetadata: [{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: state.status, CreateDate: CREATED }], $metadata: {} };
    });

    await expect(processActionJob(h.ctx, job(alert))).rejects.toThrow('Rate exceeded');
    expect(updates(iam)).toHaveLength(1);
    await processActionJob(h.ctx, job(alert));
    expect(updates(iam)).toEqual([{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: 'Inactive' }]);
    const oks = (await h.ctx.audit.recent({ alertId: alert.id })).filter((e) => e.result === 'ok');
    expect(oks.map((e) => [e.action, e.awsRequestId, e.detail])).toEqual([['deactivate_key', 'req-update-1', 'already applied; IAM not called again']]);
  });

  it('refuses a protected principal when the tenant has no two-person rule', async () => {
    h.settings.value = responseSettings({ protect: [`arn:aws:iam::210987654321:user/build-bot`] });
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    await processActionJob(h.ctx, job(alert));
    expect(updates(iam)).toEqual([]);
    const [entry] = await h.ctx.audit.recent({ alertId: alert.id, limit: 1 });
    expect(entry).toMatchObject({ action: 'deactivate_key', result: 'refused', detail: `${USER_KEY} (build-bot) is on the protect list: remediation is refused for it.` });
  });

  it('needs a second, distinct responder within the time limit when the two-person rule is on', async () => {
    h.settings.value = responseSettings({ protect: ['build-bot'], two_person: { enabled: true, window_minutes: 5 } });
    const app = await startApp(h);
    try {
      const alert = await h.postCard('alert', keySignal(), alertDecision());
      const value = encodeButtonValue(alert.signal.id, alert.ruleId);
      await processActionJob(h.ctx, job(alert));
      expect(updates(iam)).toEqual([]);
      expect(json(h.slack.callsTo('chat.postMessage').at(-1)?.args.blocks)).toContain(ActionId.approveRemediation);

      await postSigned(app.url, clickBody(ActionId.approveRemediation, value, USERS.responder));
      await until(async () => (await h.ctx.audit.recent({ limit: 1 })).find((e) => e.result === 'refused'));
      await postSigned(app.url, clickBody(ActionId.approveRemediation, value, USERS.analyst));
      await until(async () => (await h.ctx.audit.recent({ limit: 1 })).find((e) => e.user === USERS.analyst));
      expect(await h.runQueued()).toBe(0);

      await postSigned(app.url, clickBody(ActionId.approveRemediation, value, USERS.responder2));
      await until(async () => (await count(h, 'waiting')) > 0);
      await h.runQueued();
      expect(updates(iam)).toEqual([{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: 'Inactive' }]);
      const trail = (await h.ctx.audit.recent({ alertId: alert.id })).reverse().map((e) => [e.user, e.action, e.result]);
      expect(trail).toEqual([
        [USERS.responder, 'request_approval', 'requested'],
        [USERS.responder, 'approve_remediation', 'refused'],
        [USERS.analyst, 'approve_remediation', 'refused'],
        [USERS.responder2, 'approve_remediation', 'ok'],
        [USERS.responder, 'deactivate_key', 'ok'],
      ]);
    } finally {
      await app.stop();
    }
  });

  it('lets a pending approval expire with the time limit', async () => {
    h.settings.value = responseSettings({ protect: ['build-bot'], two_person: { enabled: true, window_minutes: 5 } });
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    await processActionJob(h.ctx, job(alert));
    h.clock.now = new Date(h.clock.now.getTime() + 6 * 60_000);
    expect(await h.ctx.approvals.get(alert.id, h.clock.now)).toBeUndefined();
  });

  it('revokes a temporary key role sessions with a deny policy on aws:TokenIssueTime, once', async () => {
    iam.on(PutRolePolicyCommand).resolves({ $metadata: { requestId: 'req-put-policy' } });
    const alert = await h.postCard('alert', roleSignal(), alertDecision());
    const before = '2026-12-01T09:00:00.000Z';
    await processActionJob(h.ctx, job(alert, { op: 'revoke_sessions', before }));
    await processActionJob(h.ctx, job(alert, { op: 'revoke_sessions', before }));
    expect(iam.commandCalls(PutRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      {
        RoleName: 'deploy-runner',
        PolicyName: 'PicketRevokeOlderSessions',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PicketRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': before } } }] }),
      },
    ]);
    expect(updates(iam)).toEqual([]);
    const [entry] = (await h.ctx.audit.recent({ alertId: alert.id })).filter((e) => e.result === 'ok');
    expect(entry).toMatchObject({ action: 'revoke_sessions', target: 'deploy-runner', awsRequestId: 'req-put-policy' });
  });

  it('explains that a temporary key cannot be deactivated and offers to revoke the role sessions', async () => {
    const app = await startApp(h);
    try {
      const alert = await h.postCard('alert', roleSignal(), alertDecision());
      await postSigned(app.url, clickBody(ActionId.deactivateKey, encodeButtonValue(alert.signal.id, alert.ruleId), USERS.responder));
      const opened = await until(async () => h.slack.callsTo('views.open')[0]);
      const view = json(opened.args.view);
      expect(view).toContain(`\`${ROLE_KEY}\` is a temporary key of role \`deploy-runner\`: temporary keys cannot be deactivated.`);
      expect(view).toContain('"submit":{"type":"plain_text","text":"Revoke sessions"');
      expect(updates(iam)).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
