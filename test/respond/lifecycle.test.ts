import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { buildCard } from '../../blocks/alert-card.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ViewId } from '../../blocks/view-ids.js';
import type { Triaged } from '../../src/pipeline/triage.js';
import { onDelivered } from '../../src/respond/delivered.js';
import { alertDecision, keySignal, USER_KEY } from '../fixtures/respond/signals.js';
import { clickBody, closeValues, count, openHarness, postSigned, responseSettings, SOC, startApp, submitBody, until, USERS, type Harness } from './harness.js';

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}


function closeSubmit(alertId: string, userId: string, disposition: string, note: string): string {
  return submitBody(ViewId.close, JSON.stringify({ alertId }), userId, closeValues(disposition, note));
}

function command(name: string, text: string, userId: string, responseUrl: string): string {
  return new URLSearchParams({ command: name, text, user_id: userId, channel_id: SOC, team_id: 'T0STANDIN', response_url: responseUrl, trigger_id: '1.2.3' }).toString();
}

describe('alert lifecycle, audit and commands', () => {
  let h: Harness;
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeEach(async () => {
    h = await openHarness();
    app = await startApp(h);
  });
  afterEach(async () => {
    await app.stop();
    await h.close();
  });

  it('acknowledge, assign and close show the state and who set it on the card, once each', async () => {
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    const value = encodeButtonValue(alert.signal.id, alert.ruleId);
    await postSigned(app.url, clickBody(ActionId.acknowledge, value, USERS.analyst));
    await postSigned(app.url, clickBody(ActionId.acknowledge, value, USERS.analyst));
    await until(async () => (await count(h, 'waiting')) === 2);
    await h.runQueued();
    expect(h.slack.callsTo('chat.update')).toHaveLength(1);
    expect(json(h.slack.callsTo('chat.update')[0]?.args.blocks)).toContain(`*👀 Acknowledged* by <@${USERS.analyst}> · 2026-12-01 09:00:00 UTC · alert \`${alert.id}\`\\nAssigned to <@${USERS.analyst}>`);

    await postSigned(app.url, clickBody(ActionId.close, value, USERS.analyst));
    const opened = await until(async () => h.slack.callsTo('views.open')[0]);
    expect(json(opened.args.view)).toContain(ViewId.close);
    await postSigned(app.url, closeSubmit(alert.id, USERS.analyst, 'false_positive', 'Known CI job <@U0EVIL>'));
    await until(async () => (await count(h, 'waiting')) === 1);
    await h.runQueued();
    const card = json(h.slack.callsTo('chat.update').at(-1)?.args.blocks);
    expect(card).toContain(`*✅ Closed as False positive* by <@${USERS.analyst}>`);
    expect(card).toContain('Note: Known CI job &lt;@U0EVIL&gt;');
    expect(card).not.toContain(ActionId.close);

    const trail = (await h.ctx.audit.recent({ alertId: alert.id })).reverse().map((e) => [e.user, e.role, e.action, e.result]);
    expect(trail).toEqual([
      [USERS.analyst, 'analyst', 'acknowledge', 'ok'],
      [USERS.analyst, 'analyst', 'acknowledge', 'noop'],
      [USERS.analyst, 'analyst', 'close', 'ok'],
    ]);
  });

  it('/picket audit shows an alert trail to analysts, refuses strangers, and exports JSON lines', async () => {
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    await h.ctx.record({ userId: USERS.responder, roles: ['responder'] }, { action: 'deactivate_key', target: USER_KEY, alertId: alert.id, tenant: 'acme', result: 'ok', awsRequestId: 'req-abc' });

    await postSigned(app.url, command('/picket', `audit ${alert.id}`, USERS.analyst, h.slack.responseUrl('a1')));
    const shown = await until(async () => h.slack.responses.find((r) => r.id === 'a1'));
    expect(json(shown.body)).toContain(`\`${USERS.responder}\` (responder) \`deactivate_key\` \`${USER_KEY}\` → *ok* · aws \`req-abc\``);

    await postSigned(app.url, command('/picket', `audit ${alert.id}`, USERS.stranger, h.slack.responseUrl('a2')));
    const refused = await until(async () => h.slack.responses.find((r) => r.id === 'a2'));
    expect(json(refused.body)).toContain('The audit trail is for analysts and responders of that tenant.');
    expect((await h.ctx.audit.recent({ limit: 5 })).find((e) => e.user === USERS.stranger)).toMatchObject({ action: 'audit_view', result: 'refused', role: 'none' });

    await postSigned(app.url, command('/picket', `audit export ${alert.id}`, USERS.analyst, h.slack.responseUrl('a3')));
    await until(async () => (await count(h, 'waiting')) === 1);
    await h.runQueued();
    const upload = h.slack.callsTo('files.completeUploadExternal')[0];
    expect(json(upload?.args.files)).toContain(`picket-audit-${alert.id}-2026-12-01.jsonl`);
    const lines = (await h.ctx.audit.exportLines({ alertId: alert.id })).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ user: USERS.responder, role: 'responder', action: 'deactivate_key', target: USER_KEY, result: 'ok', awsRequestId: 'req-abc', alertId: alert.id, tenant: 'acme' });
  });

  it('/investigate parses, authorizes and runs a bounded investigation with progress and files', async () => {
    const progress: string[] = [];
    await h.close();
    h = await openHarness({
      investigate: async (req, onProgress) => {
        progress.push(`${req.kind}:${req.id}:${req.accountId}:${req.since.toISOString()}`);
        onProgress?.('CloudTrail: 12 events');
        return { results: [], summaryLines: ['build-bot called GetSecretValue 12 times'], files: [{ name: 'events.json', title: 'Events', content: '[]' }] };
      },
    });
    await app.stop();
    app = await startApp(h);

    await postSigned(app.url, command('/investigate', 'user build-bot 7d account:210987654321', USERS.stranger, h.slack.responseUrl('i0')));
    expect(json((await until(async () => h.slack.responses.find((r) => r.id === 'i0'))).body)).toContain('investigate needs the analyst role');

    await postSigned(app.url, command('/investigate', 'user build-bot 7d', USERS.analyst, h.slack.responseUrl('i1')));
    await until(async () => (await count(h, 'waiting')) === 1);
    await h.runQueued();
    expect(progress).toEqual(['user:build-bot:210987654321:2026-11-24T09:00:00.000Z']);
    const posts = h.slack.callsTo('chat.postMessage').map((c) => json(c.args.blocks ?? c.args.text));
    expect(posts.some((p) => p.includes('build-bot called GetSecretValue 12 times'))).toBe(true);
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);

    await postSigned(app.url, command('/investigate', 'user build-bot 400d', USERS.analyst, h.slack.responseUrl('i2')));
    expect(json((await until(async () => h.slack.responses.find((r) => r.id === 'i2'))).body)).toContain('CloudTrail keeps 90 days');
  });
});

describe('auto-remediation', () => {
  let h: Harness;
  let iam: AwsClientStub<IAMClient>;

  beforeEach(async () => {
    h = await openHarness();
    iam = mockClient(h.iam);
    let status = 'Active';
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'build-bot', $metadata: {} });
    iam.on(ListAccessKeysCommand).callsFake(() => ({ AccessKeyMetadata: [{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: status }], $metadata: {} }));
    iam.on(UpdateAccessKeyCommand).callsFake((input: { Status: string }) => {
      status = input.Status;
      return { $metadata: { requestId: 'req-auto' } };
    });
  });
  afterEach(async () => {
    iam.restore();
    await h.close();
  });

  async function deliver() {
    const signal = keySignal();
    const decision = alertDecision();
    const card = buildCard(signal, decision);
    const posted = await h.deps.slack.chat.postMessage({ channel: SOC, ...card });
    const triaged: Triaged = { origin: { file: 't', index: 0, wrapper: 'finding' }, outcome: 'alert', signal, decision, tenantId: 'acme', channel: SOC, card, cardKey: `gd:t:${signal.id}` };
    return onDelivered(h.ctx, triaged, { channel: SOC, ts: posted.ts ?? '' }, 'posted');
  }

  it('is off by default', async () => {
    await deliver();
    expect(await h.runQueued()).toBe(0);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toEqual([]);
  });

  it('deactivates once for a chosen rule and posts what it did with a Reactivate button', async () => {
    h.settings.value = responseSettings({ auto_remediate: [{ rule: 'resp-test-secret-reads', action: 'deactivate_key' }] });
    const alert = await deliver();
    await h.runQueued();
    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: 'Inactive' }]);
    const note = h.slack.callsTo('chat.postMessage').at(-1);
    expect(note?.args.text).toBe(`🔒 Auto-remediation: access key \`${USER_KEY}\` was deactivated and IAM confirms it is Inactive. Responders can undo this.`);
    expect(json(note?.args.blocks)).toContain(ActionId.reactivateKey);
    const [entry] = await h.ctx.audit.recent({ alertId: alert?.id, limit: 1 });
    expect(entry).toMatchObject({ user: 'picket', role: 'system', action: 'deactivate_key', result: 'ok', awsRequestId: 'req-auto', detail: 'automatic' });
  });

  it('honours the protect list', async () => {
    h.settings.value = responseSettings({ protect: ['build-bot'], two_person: { enabled: true }, auto_remediate: [{ rule: 'resp-test-secret-reads', action: 'deactivate_key' }] });
    await deliver();
    await h.runQueued();
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage').at(-1)?.args.text).toBe(`🛡️ Auto-remediation skipped: ${USER_KEY} (build-bot) is on the protect list.`);
  });
});
