/**
 * Regression (from an adversarial review; issue 5, DUETs + alert lifecycle): "No escalates: the SOC card
 * is raised to critical …", and that card's buttons (Acknowledge, Close, Deactivate) act on the SOC alert.
 *
 * The escalated SOC card carries the DUET's finding id, and `escalate()` used to save the DUET last, so
 * the finding → alert index pointed back at the DUET and Acknowledge on the SOC card was a `noop`. The
 * index of an escalated DUET's finding now names the SOC alert; DUET-only buttons (Yes/No, Mute) follow
 * the link back to the DUET.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { buildCard } from '../../blocks/alert-card.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import type { Triaged } from '../../src/pipeline/triage.js';
import { onDelivered } from '../../src/respond/delivered.js';
import { duetDecision, duetSignal } from '../fixtures/respond/signals.js';
import { clickBody, count, CUSTOMER, openHarness, postSigned, SOC, startApp, until, USERS, type Harness } from './harness.js';

describe('buttons on an escalated SOC card', () => {
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

  it('Acknowledge on the escalated SOC card acknowledges the SOC alert, not the DUET', async () => {
    const signal = duetSignal();
    const card = buildCard(signal, duetDecision());
    const posted = await h.deps.slack.chat.postMessage({ channel: CUSTOMER, ...card });
    const triaged: Triaged = { origin: { file: 'b2', index: 0, wrapper: 'finding' }, outcome: 'duet', signal, decision: duetDecision(), tenantId: 'acme', channel: CUSTOMER, card, cardKey: `gd:b2:${signal.id}` };
    const duet = await onDelivered(h.ctx, triaged, { channel: CUSTOMER, ts: posted.ts ?? '' }, 'posted');
    if (!duet) throw new Error('DUET not registered');
    const value = encodeButtonValue(duet.signal.id, duet.ruleId);

    await postSigned(app.url, clickBody(ActionId.duetNo, value, USERS.contact, CUSTOMER));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();
    const socId = (await h.ctx.alerts.get(duet.id))?.linkedAlertId ?? '';
    expect((await h.ctx.alerts.get(socId))?.state).toBe('open');

    // The SOC card's Acknowledge button carries the same finding id as the DUET's buttons.
    await postSigned(app.url, clickBody(ActionId.acknowledge, value, USERS.analyst, SOC));
    await until(async () => (await count(h, 'waiting')) > 0);
    await h.runQueued();

    expect((await h.ctx.alerts.get(socId))?.state).toBe('acknowledged');
    expect((await h.ctx.alerts.byFinding(signal.id))?.id).toBe(socId);

    // A late Yes on the DUET message still reaches the DUET, which says it was answered.
    const told = h.slack.callsTo('chat.postEphemeral').length;
    await postSigned(app.url, clickBody(ActionId.duetYes, value, USERS.contact, CUSTOMER));
    await until(async () => h.slack.callsTo('chat.postEphemeral').length > told);
    expect(h.slack.callsTo('chat.postEphemeral').at(-1)?.args.text).toBe('This question has already been answered.');
    expect((await h.ctx.alerts.get(duet.id))?.state).toBe('unexpected');
  });
});
