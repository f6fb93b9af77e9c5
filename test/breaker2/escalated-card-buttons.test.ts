/**
 * Promise broken (issue 5, DUETs + alert lifecycle): "No escalates: the SOC card is raised to critical …
 * and remediation is offered to the tenant's responders", and the card's buttons (Acknowledge, Close,
 * Deactivate) act on that SOC alert. A click "finds the alert from the button's finding id".
 *
 * Bug: the escalated SOC card carries the DUET's finding id, and `escalate()` saves the DUET record last
 * (`alerts.update(duet.id, … linkedAlertId)`), so the finding → alert index points back at the DUET.
 * Every button on the critical SOC card then resolves to the DUET record: Acknowledge is a `noop`, the
 * SOC alert stays `open`, and the ack timer nags on-call about an alert nobody can acknowledge.
 *
 * Repro: deliver a DUET, answer No as the contact, click Acknowledge on the escalated SOC card (its button
 * value is the same finding id) as the analyst, run the queue: the SOC alert is still `open`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { buildCard } from '../../blocks/alert-card.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import type { Triaged } from '../../src/pipeline/triage.js';
import { onDelivered } from '../../src/respond/delivered.js';
import { duetDecision, duetSignal } from '../fixtures/respond/signals.js';
import { clickBody, count, CUSTOMER, openHarness, postSigned, SOC, startApp, until, USERS, type Harness } from '../respond/harness.js';

describe('breaker2: buttons on an escalated SOC card', () => {
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
  });
});
