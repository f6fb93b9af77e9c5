/**
 * Promise broken (issue 5, DUETs): "**No** escalates: the SOC card is raised to critical with the answer
 * attached … **No answer** within the tenant's time → a reminder, then escalation to the SOC." Jobs are
 * retried (ACTION_JOB_OPTIONS.attempts = 5) precisely so a Slack hiccup does not lose the work.
 *
 * Bug: `runDuetAnswer` and `runDuetTimeout` change the DUET's state first and escalate afterwards. When
 * the escalation fails (Slack answers `internal_error`, a 429 outlasting the client's retries, a crash),
 * the job is retried, but the retry finds the DUET no longer `awaiting`, records `noop` (or simply
 * returns) and never escalates. The customer said "No, that was not us" and the SOC is never told.
 *
 * Repro: a DUET; the first chat.postMessage after the answer fails once; run the answer job, then run it
 * again as BullMQ's retry would: no SOC alert is ever raised. Same for the timeout job.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processActionJob } from '../../src/respond/worker.js';
import { duetDecision, duetSignal } from '../fixtures/respond/signals.js';
import { openHarness, USERS, type Harness } from '../respond/harness.js';

describe('breaker2: a DUET escalation that fails once is never retried', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('No answered while Slack fails once still raises the SOC card on the retry', async () => {
    const duet = await h.postCard('duet', duetSignal(), duetDecision());
    h.slack.failWith('chat.postMessage', 'internal_error', 1);
    const job = { type: 'duet-answer' as const, alertId: duet.id, answer: 'no' as const, actor: { userId: USERS.contact, roles: ['contact' as const] } };

    await expect(processActionJob(h.ctx, job)).rejects.toThrow();
    await processActionJob(h.ctx, job).catch(() => undefined);

    const linked = (await h.ctx.alerts.get(duet.id))?.linkedAlertId;
    expect(linked).toBeDefined();
    expect((await h.ctx.alerts.get(linked ?? ''))?.decision.severityLabel).toBe('Critical');
  });

  it('an unanswered DUET whose escalation fails once still escalates on the retry', async () => {
    const duet = await h.postCard('duet', duetSignal(), duetDecision());
    h.slack.failWith('chat.postMessage', 'internal_error', 1);
    const job = { type: 'duet-timeout' as const, alertId: duet.id };

    await expect(processActionJob(h.ctx, job)).rejects.toThrow();
    await processActionJob(h.ctx, job).catch(() => undefined);

    expect((await h.ctx.alerts.get(duet.id))?.linkedAlertId).toBeDefined();
  });
});
