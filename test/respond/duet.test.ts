import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { buildCard } from '../../blocks/alert-card.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ViewId } from '../../blocks/view-ids.js';
import type { Decision } from '../../src/model/decision.js';
import type { Signal } from '../../src/model/signal.js';
import type { Triaged } from '../../src/pipeline/triage.js';
import { onDelivered } from '../../src/respond/delivered.js';
import { createSuppressionMatcher } from '../../src/respond/suppressions.js';
import { createActionsWorker } from '../../src/respond/worker.js';
import { alertDecision, duetDecision, duetSignal, keySignal, USER_KEY } from '../fixtures/respond/signals.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { clickBody, count, CUSTOMER, openHarness, postSigned, SOC, startApp, submitBody, suppressValues, until, USERS, type Harness } from './harness.js';

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function suppressSubmitBody(alertId: string, userId: string, scope: string[], days: string, reason: string): string {
  return submitBody(ViewId.suppress, JSON.stringify({ alertId }), userId, suppressValues(scope, days, reason));
}

async function deliver(h: Harness, outcome: 'alert' | 'duet', signal: Signal, decision: Decision) {
  const channel = outcome === 'duet' ? CUSTOMER : SOC;
  const card = buildCard(signal, decision);
  const posted = await h.deps.slack.chat.postMessage({ channel, ...card });
  const triaged: Triaged = { origin: { file: 'test', index: 0, wrapper: 'finding' }, outcome, signal, decision, tenantId: 'acme', channel, card, cardKey: `gd:test:${signal.id}` };
  const alert = await onDelivered(h.ctx, triaged, { channel, ts: posted.ts ?? '' }, 'posted');
  if (!alert) throw new Error('not registered');
  return alert;
}


describe('DUET answers', () => {
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

  it('Yes from the mapped actor closes as expected and offers a scoped, expiring suppression the SOC can revoke', async () => {
    const duet = await deliver(h, 'duet', duetSignal(), duetDecision());
    const value = encodeButtonValue(duet.signal.id, duet.ruleId);
    await postSigned(app.url, clickBody(ActionId.duetYes, value, USERS.mapped, CUSTOMER));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();

    const stored = await h.ctx.alerts.get(duet.id);
    expect(stored).toMatchObject({ state: 'expected', answer: { value: 'yes', by: USERS.mapped, role: 'actor' } });
    expect(json(h.slack.callsTo('chat.update').at(-1)?.args.blocks)).toContain(`Answered Yes: expected, closed* by <@${USERS.mapped}>`);
    const offer = h.slack.callsTo('chat.postEphemeral').at(-1);
    expect(offer?.args.user).toBe(USERS.mapped);
    expect(json(offer?.args.blocks)).toContain(ActionId.suppressOffer);
    expect(json(offer?.args.blocks)).toContain('for 30 days');
    const [answer] = await h.ctx.audit.recent({ alertId: duet.id, limit: 1 });
    expect(answer).toMatchObject({ user: USERS.mapped, role: 'actor', action: 'duet_answer_yes', result: 'ok' });

    await postSigned(app.url, suppressSubmitBody(duet.id, USERS.mapped, ['accountId', 'actor.userName'], '30', 'Dana is our admin onboarding'));
    const [created] = await until(async () => {
      const list = await h.ctx.suppressions.list(h.clock.now);
      return list.length > 0 && list;
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^sup-[0-9a-f]{10}$/),
      tenant: 'acme',
      ruleId: 'resp-test-admin-attach',
      match: { accountId: '210987654321', 'actor.userName': 'dana' },
      owner: USERS.mapped,
      reason: 'Dana is our admin onboarding',
      expiresAt: '2026-12-31T09:00:00.000Z',
      createdAt: '2026-12-01T09:00:00.000Z',
    });
    const matcher = createSuppressionMatcher(h.ctx.suppressions, h.ctx.tenants, () => h.clock.now);
    await matcher.refresh();
    expect(matcher.suppressedBy({ id: 'resp-test-admin-attach' }, duetSignal())).toBe(created?.id);
    expect(matcher.suppressedBy({ id: 'resp-test-admin-attach' }, { ...duetSignal(), actor: { userName: 'mallory' } })).toBeUndefined();
    expect(matcher.suppressedBy({ id: 'another-rule' }, duetSignal())).toBeUndefined();

    const revoke = `command=%2Fpicket&text=${encodeURIComponent(`suppressions revoke ${created?.id}`)}&user_id=${USERS.analyst}&channel_id=${SOC}&team_id=T0STANDIN&response_url=${encodeURIComponent(h.slack.responseUrl('r1'))}&trigger_id=1`;
    await postSigned(app.url, revoke);
    await until(async () => (await h.ctx.suppressions.list(h.clock.now)).length === 0);
    h.clock.now = new Date('2027-01-01T00:00:00Z');
    await matcher.refresh();
    expect(matcher.suppressedBy({ id: 'resp-test-admin-attach' }, duetSignal())).toBeUndefined();
  });

  it('No from a contact raises a critical SOC card with the answer attached and remediation offered', async () => {
    const signal = { ...duetSignal(), actor: { ...duetSignal().actor, accessKeyId: USER_KEY } };
    const duet = await deliver(h, 'duet', signal, duetDecision());
    await postSigned(app.url, clickBody(ActionId.duetNo, encodeButtonValue(duet.signal.id, duet.ruleId), USERS.contact, CUSTOMER));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();

    const socPost = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === SOC);
    expect(json(socPost?.args.blocks)).toContain('🔴');
    const socAlert = await h.ctx.alerts.get((await h.ctx.alerts.get(duet.id))?.linkedAlertId ?? '');
    expect(socAlert).toMatchObject({ kind: 'alert', state: 'open', linkedAlertId: duet.id, answer: { value: 'no', by: USERS.contact, role: 'contact' } });
    expect(socAlert?.decision.severityLabel).toBe('Critical');
    const socCard = json(h.slack.callsTo('chat.update').find((c) => c.args.channel === SOC)?.args.blocks);
    expect(socCard).toContain(`DUET answer: *No*, this was not expected — <@${USERS.contact}> (contact)`);
    expect(socCard).toContain(ActionId.deactivateKey);
    expect(json(h.slack.callsTo('chat.update').find((c) => c.args.channel === CUSTOMER)?.args.blocks)).toContain('Answered No: not expected, escalated to the SOC');
  });

  it('a stranger is refused privately, the card does not change, and the refusal is audited', async () => {
    const duet = await deliver(h, 'duet', duetSignal(), duetDecision());
    await postSigned(app.url, clickBody(ActionId.duetNo, encodeButtonValue(duet.signal.id, duet.ruleId), USERS.stranger, CUSTOMER));
    const refusal = await until(async () => (await h.ctx.audit.recent({ alertId: duet.id, limit: 1 }))[0]);
    expect(refusal).toMatchObject({ user: USERS.stranger, role: 'none', action: 'duet_answer', result: 'refused' });
    await until(async () => h.slack.callsTo('chat.postEphemeral').length > 0);
    expect(h.slack.callsTo('chat.update')).toEqual([]);
    expect((await h.ctx.alerts.get(duet.id))?.state).toBe('awaiting');
    expect(await h.queue.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });
});

describe('timers on the actions queue (delayed jobs, promoted)', () => {
  let h: Harness;
  let worker: Worker;
  let connection: Redis;

  beforeEach(async () => {
    h = await openHarness();
    connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    worker = createActionsWorker(h.deps, { connection, concurrency: 1 });
  });
  afterEach(async () => {
    await worker.close();
    connection.disconnect();
    await h.close();
  });

  const delayed = async (name: string) => (await h.queue.getDelayed()).find((j) => j.name === name);

  it('an unanswered DUET gets a reminder, then escalates to the SOC', async () => {
    const duet = await deliver(h, 'duet', duetSignal(), duetDecision());
    const remind = await delayed('duet-remind');
    const timeout = await delayed('duet-timeout');
    expect([remind?.opts.delay, timeout?.opts.delay]).toEqual([10 * 60_000, 20 * 60_000]);

    await remind?.promote();
    const note = await until(async () => h.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === duet.ts));
    expect(note.args.text).toBe('⏰ Reminder: this question still needs an answer. Please press Yes or No on the message above.');
    expect((await h.ctx.alerts.get(duet.id))?.state).toBe('awaiting');

    await timeout?.promote();
    const soc = await until(async () => h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === SOC));
    expect(soc).toBeDefined();
    const stored = await until(async () => {
      const a = await h.ctx.alerts.get(duet.id);
      return a?.linkedAlertId ? a : undefined;
    });
    expect(stored.state).toBe('unanswered');
    expect((await h.ctx.alerts.get(stored.linkedAlertId ?? ''))?.escalation).toBe(`Raised from DUET ${duet.id}. No answer within 20 minutes.`);
  });

  it('an answered DUET ignores its timers', async () => {
    const duet = await deliver(h, 'duet', duetSignal(), duetDecision());
    await h.ctx.alerts.update(duet.id, (a) => ({ ...a, state: 'expected' }));
    await (await delayed('duet-remind'))?.promote();
    await (await delayed('duet-timeout'))?.promote();
    await until(async () => (await count(h, 'completed')) === 2);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === duet.ts || c.args.channel === SOC)).toEqual([]);
  });

  it('an unacknowledged alert reminds the on-call group, the one mention Picket writes', async () => {
    const alert = await deliver(h, 'alert', keySignal(), alertDecision());
    const job = await delayed('ack-escalate');
    expect(job?.opts.delay).toBe(15 * 60_000);
    await job?.promote();
    const note = await until(async () => h.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === alert.ts));
    expect(note.args.text).toBe('⏰ Nobody has acknowledged this alert in 15 minutes. <!subteam^S0ONCALL> please take a look.');
  });

  it('an acknowledged alert is not escalated', async () => {
    const alert = await deliver(h, 'alert', keySignal(), alertDecision());
    await h.ctx.enqueue({ type: 'lifecycle', op: 'acknowledge', alertId: alert.id, actor: { userId: USERS.analyst, roles: ['analyst'] } });
    await until(async () => (await h.ctx.alerts.get(alert.id))?.state === 'acknowledged');
    await (await delayed('ack-escalate'))?.promote();
    await until(async () => (await count(h, 'completed')) === 2);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === alert.ts)).toEqual([]);
  });

  it('an AWS sample finding starts no timers: nobody is chased about test data', async () => {
    await deliver(h, 'alert', keySignal(), { ...alertDecision(), sample: true });
    await deliver(h, 'duet', duetSignal(), { ...duetDecision(), sample: true });
    expect((await h.queue.getDelayed()).map((j) => j.name)).toEqual([]);
  });
});
