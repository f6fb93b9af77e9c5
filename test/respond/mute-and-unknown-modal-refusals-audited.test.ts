/**
 * Regression (from an adversarial review; issue 5): "Anyone else clicking gets an ephemeral refusal; the
 * card does not change; the refusal is audited." and "Audit: every click, command and action".
 *
 * Two refusals used to be told (or silently dropped) without an audit entry: "Mute for 30 days…" pressed
 * by a contact who did not answer Yes, and a modal submission whose `private_metadata` names no alert
 * Picket knows. Both are now recorded as `refused`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ViewId } from '../../blocks/view-ids.js';
import { duetDecision, duetSignal } from '../fixtures/respond/signals.js';
import { clickBody, closeValues, count, CUSTOMER, openHarness, postSigned, startApp, submitBody, until, USERS, type Harness } from './harness.js';


function closeSubmit(meta: string, userId: string): string {
  return submitBody(ViewId.close, meta, userId, closeValues('benign'));
}

describe('refusals of a Mute click and of an unknown modal are audited', () => {
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

  it('a contact who did not answer pressing "Mute…" is refused and audited', async () => {
    const duet = await h.postCard('duet', duetSignal(), duetDecision());
    const value = encodeButtonValue(duet.signal.id, duet.ruleId);
    await postSigned(app.url, clickBody(ActionId.duetYes, value, USERS.mapped, CUSTOMER));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();

    const ephemerals = h.slack.callsTo('chat.postEphemeral').length;
    await postSigned(app.url, clickBody(ActionId.suppressOffer, value, USERS.contact, CUSTOMER));
    await until(async () => h.slack.callsTo('chat.postEphemeral').length > ephemerals);

    const entries = await h.ctx.audit.recent({ limit: 10 });
    const refused = entries.filter((e) => e.user === USERS.contact && e.result === 'refused');
    expect(refused.map((e) => [e.action, e.alertId, e.tenant])).toEqual([['suppress', duet.id, 'acme']]);
    expect(h.slack.callsTo('chat.postEphemeral').at(-1)?.args.text).toBe('Only the person who answered Yes can mute this rule.');
  });

  it('a modal submission naming an unknown alert is audited as refused', async () => {
    const res = await postSigned(app.url, closeSubmit(JSON.stringify({ alertId: 'b2unknown999' }), USERS.analyst));
    expect(res.status).toBe(200);
    // Let the listener finish (it acknowledges first); a later signed click is handled after it.
    await postSigned(app.url, clickBody(ActionId.acknowledge, encodeButtonValue('b2-no-such-finding'), USERS.analyst));
    await until(async () => (await h.ctx.audit.recent({ limit: 10 })).some((e) => e.target === 'b2-no-such-finding'));

    const entries = await h.ctx.audit.recent({ limit: 10 });
    expect(entries.filter((e) => e.user === USERS.analyst && e.result === 'refused').map((e) => e.target).sort()).toEqual(['b2-no-such-finding', 'b2unknown999']);
  });
});
