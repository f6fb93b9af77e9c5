import { buildAlertCard } from '../../blocks/alert-card.js';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { actions, button, section } from '../../blocks/kit.js';
import { InputError } from '../core/errors.js';
import type { Decision } from '../model/decision.js';
import type { Signal } from '../model/signal.js';
import type { ResponseContext } from './context.js';
import type { ActionJob } from './jobs.js';
import { alertIdFor } from './alerts.js';
import { jobIdOf } from './jobs.js';
import { respondKeys } from './keys.js';
import { withLock } from './lock.js';
import { muteCandidates, pinsPrincipal } from './suppressions.js';
import { scheduleAckEscalation } from './timers.js';
import { refreshCard, threadNote } from './slack-out.js';
import type { Actor, AlertRecord } from './types.js';

/**
 * DUET answers and silence. Yes closes the question as expected and offers
 * the answerer a scoped, expiring suppression. No, or no answer in time,
 * raises a critical SOC card carrying the answer, with remediation on it.
 */

type AnswerJob = Extract<ActionJob, { type: 'duet-answer' }>;

export async function runDuetAnswer(ctx: ResponseContext, job: AnswerJob): Promise<void> {
  const at = ctx.now().toISOString();
  const role = job.actor.roles.includes('contact') ? 'contact' : 'actor';
  let changed = false;
  const alert = await ctx.alerts.update(job.alertId, (a) => {
    if (a.kind !== 'duet' || a.state !== 'awaiting') return undefined;
    changed = true;
    const state = job.answer === 'yes' ? ('expected' as const) : ('unexpected' as const);
    return { ...a, state, stateBy: job.actor.userId, stateAt: at, answer: { value: job.answer, by: job.actor.userId, at, role } };
  });
  if (!alert) throw new InputError(`DUET ${job.alertId} is unknown`, { code: 'ALERT_UNKNOWN' });

  const base = { target: alert.id, alertId: alert.id, tenant: alert.tenantId };
  // A retry of this very answer (the state is the intent it recorded) finishes what the first attempt began.
  const retried = !changed && alert.answer?.by === job.actor.userId && alert.answer.value === job.answer;
  if (!changed && !retried) {
    await ctx.record(job.actor, { ...base, action: `duet_answer_${job.answer}`, result: 'noop', detail: `already ${alert.state}` });
    return;
  }
  if (changed) await ctx.record(job.actor, { ...base, action: `duet_answer_${job.answer}`, result: 'ok' });
  await refreshCard(ctx, alert);
  if (job.answer === 'yes') await offerSuppression(ctx, alert, job.actor);
  else await escalate(ctx, alert.id);
}

async function offerSuppression(ctx: ResponseContext, alert: AlertRecord, actor: Actor): Promise<void> {
  if (!alert.ruleId) return;
  const to = { channel: alert.channel, user: actor.userId };
  if (!pinsPrincipal(muteCandidates(alert.signal))) {
    // Nothing to pin a mute to: thank them without offering one.
    await ctx.deps.slack.chat.postEphemeral({ ...to, text: 'Thanks, closed as expected.' });
    return;
  }
  const days = ctx.configFor(alert.tenantId)?.suppression_days ?? 30;
  const value = encodeButtonValue(alert.signal.id, alert.ruleId);
  const text = `Thanks, closed as expected. If this will keep happening, you can mute this rule for this account and principal for up to ${days} days; the security team can review and revoke it.`;
  const blocks = [section(text), actions('picket.duet.suppress', [button({ text: `Mute for ${days} days…`, actionId: ActionId.suppressOffer, value })])];
  await ctx.deps.slack.chat.postEphemeral({ ...to, text, blocks });
}

/** Answered No or not at all, and not yet linked to the SOC card it raises. */
export function escalationPending(alert: AlertRecord): boolean {
  return alert.kind === 'duet' && (alert.state === 'unexpected' || alert.state === 'unanswered') && alert.linkedAlertId === undefined;
}

/**
 * A critical SOC card for a DUET that was answered No or not at all. The
 * DUET's state is the recorded intent; the link to the SOC card marks it
 * done and is written last, so a retry (or the other of the answer and the
 * timeout job) completes a half-done escalation and never posts a second card.
 */
export async function escalate(ctx: ResponseContext, duetId: string): Promise<AlertRecord | undefined> {
  return withLock(ctx.deps.redis, respondKeys(ctx.deps.prefix).escalationLock(duetId), async () => {
    const duet = await ctx.alerts.get(duetId);
    if (!duet) throw new InputError(`DUET ${duetId} is unknown`, { code: 'ALERT_UNKNOWN' });
    if (!escalationPending(duet)) return duet.linkedAlertId ? ctx.alerts.get(duet.linkedAlertId) : undefined;

    const why = escalationReason(ctx, duet);
    const soc = (await ctx.alerts.get(alertIdFor(socCardKey(duet)))) ?? (await raiseSocCard(ctx, duet, why));
    await refreshCard(ctx, soc);
    await scheduleAckEscalation(ctx, soc);
    await threadNote(ctx, duet, 'Thanks. The security team has been alerted and will follow up here.');
    await ctx.record('picket', { action: 'escalate', target: soc.id, alertId: duet.id, tenant: duet.tenantId, result: 'ok', detail: why });
    await ctx.alerts.update(duet.id, (d) => ({ ...d, linkedAlertId: soc.id }));
    return soc;
  });
}

function socCardKey(duet: AlertRecord): string {
  return `escalated:${duet.cardKey}`;
}

function escalationReason(ctx: ResponseContext, duet: AlertRecord): string {
  if (duet.state === 'unexpected') return 'The owner answered No: this was not expected.';
  const minutes = ctx.configFor(duet.tenantId)?.duet.timeout_minutes ?? 240;
  return `No answer within ${minutes} minutes.`;
}

async function raiseSocCard(ctx: ResponseContext, duet: AlertRecord, why: string): Promise<AlertRecord> {
  const socChannel = ctx.tenants.forAccount(duet.signal.accountId).socChannel;
  const { signal, decision } = raised(duet.signal, duet.decision);
  const posted = await ctx.deps.slack.chat.postMessage({ channel: socChannel, ...buildAlertCard(signal, decision) });
  if (!posted.ts || !posted.channel) throw new InputError('Slack did not return the escalated card', { code: 'SLACK_NO_TS' });

  const input = { kind: 'alert' as const, cardKey: socCardKey(duet), tenantId: duet.tenantId, signal, decision, channel: posted.channel, ts: posted.ts, linkedAlertId: duet.id, escalation: `Raised from DUET ${duet.id}. ${why}` };
  const { alert } = await ctx.alerts.register(duet.answer ? { ...input, answer: duet.answer } : input, ctx.now());
  return alert;
}

function raised(signal: Signal, decision: Decision): { signal: Signal; decision: Decision } {
  const severity = Math.max(9, signal.severity, decision.severity);
  return {
    signal: { ...signal, severity, severityLabel: 'Critical' },
    decision: { ...decision, outcome: 'alert', severity, severityLabel: 'Critical' },
  };
}

export async function runDuetReminder(ctx: ResponseContext, alertId: string): Promise<void> {
  const alert = await ctx.alerts.get(alertId);
  if (!alert || alert.state !== 'awaiting') return;
  await threadNote(ctx, alert, '⏰ Reminder: this question still needs an answer. Please press Yes or No on the message above.');
  await ctx.record('picket', { action: 'duet_reminder', target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'ok' });
}

export async function runDuetTimeout(ctx: ResponseContext, alertId: string): Promise<void> {
  const at = ctx.now().toISOString();
  let changed = false;
  const alert = await ctx.alerts.update(alertId, (a) => {
    if (a.state !== 'awaiting') return undefined;
    changed = true;
    return { ...a, state: 'unanswered', stateBy: 'picket', stateAt: at };
  });
  if (!alert || !escalationPending(alert)) return;
  if (changed || alert.state === 'unanswered') await refreshCard(ctx, alert);
  await escalate(ctx, alert.id);
}

/** The reminder and the escalation, as delayed jobs named after the DUET so they are added once. */
export async function scheduleDuetTimers(ctx: ResponseContext, alert: AlertRecord): Promise<void> {
  const duet = ctx.configFor(alert.tenantId)?.duet ?? { reminder_minutes: 60, timeout_minutes: 240 };
  await ctx.enqueue({ type: 'duet-remind', alertId: alert.id }, { jobId: jobIdOf('duet-remind', alert.id), delay: duet.reminder_minutes * 60_000 });
  await ctx.enqueue({ type: 'duet-timeout', alertId: alert.id }, { jobId: jobIdOf('duet-timeout', alert.id), delay: duet.timeout_minutes * 60_000 });
}
