/**
 * Regression (from an adversarial review; issue 5, DUETs): "Yes (expected) closes the alert as expected and
 * offers the answerer a *scoped*, expiring suppression".
 *
 * `submitSuppression` used to accept any single ticked field: the answerer could tick only `region` and
 * silence the rule for every principal of the tenant for up to 90 days. Now every suppression created
 * from Slack pins the principal or the resource (the modal shows the error and the refusal is audited),
 * and the days are capped at the tenant's `suppression_days`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ViewId } from '../../blocks/view-ids.js';
import { SCOPE_NEEDS_PRINCIPAL } from '../../src/respond/listeners/views.js';
import { createSuppressionMatcher } from '../../src/respond/suppressions.js';
import { ACCOUNT, duetDecision, duetSignal } from '../fixtures/respond/signals.js';
import { clickBody, count, CUSTOMER, openHarness, postSigned, startApp, submitBody, suppressValues, until, USERS, type Harness } from './harness.js';


function muteSubmit(alertId: string, userId: string, scope: string[], days = '90'): string {
  return submitBody(ViewId.suppress, JSON.stringify({ alertId }), userId, suppressValues(scope, days, 'expected'));
}

describe('a DUET answerer mutes a rule only for a principal or resource, within the tenant\'s days', () => {
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

  it('a suppression pinned only to the region does not silence the rule for other principals', async () => {
    const duet = await h.postCard('duet', duetSignal(), duetDecision());
    await postSigned(app.url, clickBody(ActionId.duetYes, encodeButtonValue(duet.signal.id, duet.ruleId), USERS.mapped, CUSTOMER));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();
    expect((await h.ctx.alerts.get(duet.id))?.state).toBe('expected');

    const res = await postSigned(app.url, muteSubmit(duet.id, USERS.mapped, ['region']));
    expect(await res.json()).toEqual({ response_action: 'errors', errors: { scope: SCOPE_NEEDS_PRINCIPAL } });
    // The submission is acknowledged before it is processed; wait for its audit entry either way.
    const [refused] = await until(async () => {
      const entries = (await h.ctx.audit.recent({ alertId: duet.id, limit: 5 })).filter((e) => e.action === 'suppress');
      return entries.length > 0 && entries;
    });
    expect(refused).toMatchObject({ user: USERS.mapped, result: 'refused', tenant: 'acme' });
    expect(await h.ctx.suppressions.list(h.clock.now)).toEqual([]);

    const matcher = createSuppressionMatcher(h.ctx.suppressions, h.ctx.tenants, () => h.clock.now);
    await matcher.refresh();
    const mallory = { ...duetSignal(), id: 'ct-b2-mallory', actor: { type: 'IAMUser', userName: 'mallory', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mallory` } };
    expect(matcher.suppressedBy({ id: 'resp-test-admin-attach' }, mallory)).toBeUndefined();
  });

  it('a suppression asking for 90 days lasts the tenant\'s 30', async () => {
    const duet = await h.postCard('duet', duetSignal(), duetDecision());
    await postSigned(app.url, clickBody(ActionId.duetYes, encodeButtonValue(duet.signal.id, duet.ruleId), USERS.mapped, CUSTOMER));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();

    await postSigned(app.url, muteSubmit(duet.id, USERS.mapped, ['actor.userName'], '90'));
    const [created] = await until(async () => {
      const list = await h.ctx.suppressions.list(h.clock.now);
      return list.length > 0 && list;
    });
    expect(created?.match).toEqual({ 'actor.userName': 'dana' });
    expect(created?.expiresAt).toBe('2026-12-31T09:00:00.000Z');
    const matcher = createSuppressionMatcher(h.ctx.suppressions, h.ctx.tenants, () => h.clock.now);
    await matcher.refresh();
    expect(matcher.suppressedBy({ id: 'resp-test-admin-attach' }, duetSignal())).toBe(created?.id);
  });

  it('a DUET naming no principal or resource is not offered a mute', async () => {
    const { actor: _actor, ...bare } = { ...duetSignal(), id: 'ct-b2-no-principal', resource: { type: 'Account' } };
    const duet = await h.postCard('duet', bare, duetDecision());
    const value = encodeButtonValue(duet.signal.id, duet.ruleId);
    await postSigned(app.url, clickBody(ActionId.duetYes, value, USERS.contact, CUSTOMER));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();

    const thanks = h.slack.callsTo('chat.postEphemeral').at(-1);
    expect([thanks?.args.text, thanks?.args.blocks]).toEqual(['Thanks, closed as expected.', undefined]);

    // A Mute button from elsewhere (or a forged click) is answered the same way.
    const told = h.slack.callsTo('chat.postEphemeral').length;
    await postSigned(app.url, clickBody(ActionId.suppressOffer, value, USERS.contact, CUSTOMER));
    await until(async () => h.slack.callsTo('chat.postEphemeral').length > told);
    expect(String(h.slack.callsTo('chat.postEphemeral').at(-1)?.args.text)).toMatch(/^This alert names no principal or resource to pin a mute to/);
    expect(h.slack.callsTo('views.open')).toEqual([]);
  });
});
