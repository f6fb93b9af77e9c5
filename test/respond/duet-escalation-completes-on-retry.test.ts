/**
 * Regression (from an adversarial review; issue 5, DUETs): "**No** escalates: the SOC card is raised to
 * critical with the answer attached … **No answer** within the tenant's time → a reminder, then
 * escalation to the SOC." Jobs are retried (ACTION_JOB_OPTIONS.attempts = 5) so a Slack hiccup does not
 * lose the work.
 *
 * `runDuetAnswer` and `runDuetTimeout` used to change the DUET's state first and escalate afterwards; when
 * the escalation post failed, the retry found the DUET no longer `awaiting` and never escalated. The state
 * is now the recorded intent, the DUET → SOC link marks the escalation done, and a retry completes a
 * half-done escalation exactly once (one SOC card, one `escalate` audit entry).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processActionJob } from '../../src/respond/worker.js';
import { duetDecision, duetSignal } from '../fixtures/respond/signals.js';
import { openHarness, SOC, USERS, type Harness } from './harness.js';

describe('a DUET escalation that fails once completes on the retry', () => {
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
    expect((await h.ctx.alerts.get(linked ?? ''))?.answer?.value).toBe('no');

    // A third run (BullMQ retrying once more, or the timeout job) changes nothing.
    await processActionJob(h.ctx, { type: 'duet-timeout', alertId: duet.id });
    await processActionJob(h.ctx, job);
    // The stand-in records the refused first post too: one failed, one card.
    const socPosts = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === SOC && c.args.thread_ts === undefined);
    expect(socPosts).toHaveLength(2);
    const entries = await h.ctx.audit.recent({ alertId: duet.id, limit: 20 });
    expect(entries.filter((e) => e.action === 'escalate').map((e) => e.target)).toEqual([linked]);
    expect(entries.filter((e) => e.action === 'duet_answer_no').map((e) => e.result)).toEqual(['ok']);
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
