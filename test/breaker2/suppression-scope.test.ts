/**
 * Promise broken (issue 5, DUETs): "Yes (expected) closes the alert as expected and offers the answerer a
 * *scoped*, expiring suppression". The code's own rule (src/respond/suppressions.ts): "Anything broader
 * would silence a rule for a whole tenant", and the offer says "mute this rule for this account and
 * principal".
 *
 * Bug: `submitSuppression` accepts any single ticked field. The answerer (a customer contact, or the
 * mapped actor whose own action raised the DUET) can tick only `region` (or only `accountId`) and the
 * suppression then silences the rule for every principal of the tenant in that region for up to 90 days.
 *
 * Repro: DUET about IAM user dana, answered Yes by dana's mapped Slack user, who submits the mute modal
 * with only `region` ticked: the rule is now suppressed for IAM user mallory too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ViewId } from '../../blocks/view-ids.js';
import { createSuppressionMatcher } from '../../src/respond/suppressions.js';
import { ACCOUNT, duetDecision, duetSignal } from '../fixtures/respond/signals.js';
import { clickBody, count, CUSTOMER, openHarness, postSigned, startApp, until, USERS, type Harness } from '../respond/harness.js';

function muteSubmit(alertId: string, userId: string, scope: string[]): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T0STANDIN', domain: 'standin' },
    user: { id: userId, username: 'u', team_id: 'T0STANDIN' },
    api_app_id: 'A0PICKET',
    token: 't',
    trigger_id: '1.2.3',
    view: {
      id: 'V0B2SUP', team_id: 'T0STANDIN', type: 'modal', callback_id: ViewId.suppress, private_metadata: JSON.stringify({ alertId }), hash: 'h',
      title: { type: 'plain_text', text: 'x' }, blocks: [], close: null, submit: null, root_view_id: 'V0B2SUP', previous_view_id: null, app_id: 'A0PICKET', bot_id: 'B0PICKET', clear_on_close: false, notify_on_close: false,
      state: {
        values: {
          scope: { value: { type: 'checkboxes', selected_options: scope.map((s) => ({ text: { type: 'plain_text', text: s }, value: s })) } },
          days: { value: { type: 'number_input', value: '90' } },
          reason: { value: { type: 'plain_text_input', value: 'expected' } },
        },
      },
    },
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

describe('breaker2: a DUET answerer mutes a rule for the whole tenant', () => {
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

    await postSigned(app.url, muteSubmit(duet.id, USERS.mapped, ['region']));
    // The submission is acknowledged before it is processed; wait for its audit entry either way.
    await until(async () => (await h.ctx.audit.recent({ alertId: duet.id, limit: 5 })).some((e) => e.action === 'suppress'));

    const matcher = createSuppressionMatcher(h.ctx.suppressions, h.ctx.tenants, () => h.clock.now);
    await matcher.refresh();
    const mallory = { ...duetSignal(), id: 'ct-b2-mallory', actor: { type: 'IAMUser', userName: 'mallory', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mallory` } };
    expect(matcher.suppressedBy({ id: 'resp-test-admin-attach' }, mallory)).toBeUndefined();
  });
});
