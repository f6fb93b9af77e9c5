import { ActionId } from '../../../blocks/action-ids.js';
import { longTermKey } from '../../../blocks/buttons.js';
import { closeView, loadingView, sessionsConfirmView, suppressView } from '../../../blocks/response-modals.js';
import { temporaryKey } from '../../../blocks/response-card.js';
import type { ResponseContext } from '../context.js';
import { jobIdOf } from '../jobs.js';
import { isProtected } from '../remediation/protect.js';
import { defaultMatch, muteCandidates, pinsPrincipal } from '../suppressions.js';
import { actorAccount, routedAccount } from '../tenant-account.js';
import type { ClickHandler } from './click.js';
import { investigationFor } from './investigate-request.js';

/**
 * What each card button does once the clicker is allowed: most put a job on
 * the queue; the ones that need a modal open it now, while the trigger id is
 * still valid, and let a job fill it in.
 */

export const acknowledge: ClickHandler = async (ctx, { alert, actor }) => {
  await ctx.enqueue({ type: 'lifecycle', op: 'acknowledge', alertId: alert.id, actor });
};

export const assign: ClickHandler = async (ctx, { alert, actor }) => {
  await ctx.enqueue({ type: 'lifecycle', op: 'assign', alertId: alert.id, actor });
};

export const investigate: ClickHandler = async (ctx, { alert, actor, tell }) => {
  const account = routedAccount(ctx, alert);
  if (!account.ok) {
    await ctx.record(actor, { action: 'investigate', target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail: account.reason });
    return tell(`🚫 ${account.reason}.`);
  }
  const request = investigationFor(alert, ctx.now());
  const minute = ctx.now().toISOString().slice(0, 16);
  // Double clicks within the same minute start one investigation.
  await ctx.enqueue({ type: 'investigate', alertId: alert.id, actor, request }, { jobId: jobIdOf('investigate', alert.id, minute) });
};

export const close: ClickHandler = async (_ctx, { alert, args, body, tell }) => {
  if (alert.state === 'closed') return tell('This alert is already closed.');
  await args.client.views.open({ trigger_id: body.trigger_id, view: closeView(alert.id) });
};

export const deactivate: ClickHandler = async (ctx, click) => {
  const { alert, actor, args, body } = click;
  if (temporaryKey(alert) !== undefined) return offerSessionRevocation(ctx, click);
  if (longTermKey(alert.signal) === undefined) return click.tell('This alert names no long-term access key to deactivate.');
  if (alert.remediation?.result === 'inactive') return click.tell('This key is already deactivated; use Reactivate to undo.');
  const opened = await args.client.views.open({ trigger_id: body.trigger_id, view: loadingView({ alertId: alert.id, op: 'deactivate', generation: alert.remediation?.generation ?? 0 }) });
  const viewId = opened.view?.id;
  if (viewId) await ctx.enqueue({ type: 'key-details', alertId: alert.id, viewId, actor });
};

/** A temporary key cannot be deactivated: say so, name the role, and offer to revoke its sessions instead. */
export const offerSessionRevocation: ClickHandler = async (ctx, { alert, actor, args, body, tell }) => {
  const keyId = temporaryKey(alert);
  const roleName = alert.signal.actor?.roleName;
  if (!keyId || !roleName) return tell('This alert names no role session to revoke.');
  const account = actorAccount(ctx, alert);
  if (!account.ok) {
    await ctx.record(actor, { action: 'revoke_sessions', target: roleName, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail: account.reason });
    return tell(`🚫 Session revocation refused: ${account.reason}.`);
  }
  const config = ctx.configFor(alert.tenantId);
  const view = sessionsConfirmView({ alertId: alert.id, op: 'revoke_sessions', generation: alert.remediation?.generation ?? 0 }, roleName, keyId, {
    isProtected: isProtected(config, { roleName, arn: alert.signal.actor?.arn }),
    twoPerson: config?.two_person.enabled ?? false,
    windowMinutes: config?.two_person.window_minutes ?? 30,
  });
  await args.client.views.open({ trigger_id: body.trigger_id, view });
};

export const reactivate: ClickHandler = async (ctx, { alert, actor, tell }) => {
  if (alert.remediation?.result !== 'inactive') return tell('Picket did not deactivate this key, so there is nothing to undo.');
  const generation = alert.remediation.generation;
  await ctx.record(actor, { action: 'reactivate_key', target: alert.remediation.target, alertId: alert.id, tenant: alert.tenantId, result: 'requested' });
  await ctx.enqueue({ type: 'remediate', op: 'reactivate', alertId: alert.id, actor, generation }, { jobId: jobIdOf('remediate', alert.id, 'reactivate', `g${generation}`) });
};

export const duetAnswer = (answer: 'yes' | 'no'): ClickHandler => async (ctx, { alert, actor, tell }) => {
  if (alert.kind !== 'duet') return tell('This is not a question Picket asked.');
  if (alert.state !== 'awaiting') return tell('This question has already been answered.');
  await ctx.enqueue({ type: 'duet-answer', alertId: alert.id, answer, actor }, { jobId: jobIdOf('duet-answer', alert.id) });
};

export const suppressOffer: ClickHandler = async (ctx, { alert, actor, args, body, tell }) => {
  if (alert.answer?.value !== 'yes' || alert.answer.by !== actor.userId) {
    await ctx.record(actor, { action: 'suppress', target: alert.ruleId ?? alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail: 'only the person who answered Yes can mute this rule' });
    return tell('Only the person who answered Yes can mute this rule.');
  }
  const candidates = muteCandidates(alert.signal);
  if (!pinsPrincipal(candidates)) return tell('This alert names no principal or resource to pin a mute to, so it cannot be muted from Slack; ask the security team.');
  const days = ctx.configFor(alert.tenantId)?.suppression_days ?? 30;
  await args.client.views.open({ trigger_id: body.trigger_id, view: suppressView(alert.id, candidates, Object.keys(defaultMatch(alert.signal)), days) });
};

export const approve: ClickHandler = async (ctx, { alert, actor, tell }) => {
  const pending = await ctx.approvals.get(alert.id, ctx.now());
  if (!pending) {
    await ctx.record(actor, { action: 'approve_remediation', target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'expired', detail: 'no pending approval (expired or already decided)' });
    return tell('There is no pending approval for this alert: it expired or was already decided.');
  }
  if (pending.requestedBy === actor.userId) {
    await ctx.record(actor, { action: 'approve_remediation', target: pending.target, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail: 'the requester cannot approve their own request' });
    return tell('A second, different responder must approve this.');
  }
  const taken = await ctx.approvals.take(alert.id, ctx.now());
  if (!taken) return tell('Someone else decided this approval a moment ago.');
  await ctx.record(actor, { action: 'approve_remediation', target: taken.target, alertId: alert.id, tenant: alert.tenantId, result: 'ok', detail: `requested by ${taken.requestedBy}` });
  const requester = await ctx.actorFor(taken.requestedBy, alert);
  await ctx.enqueue(
    { type: 'remediate', op: taken.op, alertId: alert.id, actor: requester, generation: taken.generation, approvedBy: actor.userId, ...(taken.before ? { before: taken.before } : {}) },
    { jobId: jobIdOf('remediate', alert.id, taken.op, `g${taken.generation}`, 'approved') },
  );
};

export const reject: ClickHandler = async (ctx, { alert, actor, tell }) => {
  const taken = await ctx.approvals.take(alert.id, ctx.now());
  await ctx.record(actor, { action: 'reject_remediation', target: taken?.target ?? alert.id, alertId: alert.id, tenant: alert.tenantId, result: taken ? 'ok' : 'expired' });
  await tell(taken ? 'Rejected: nothing was changed.' : 'There is no pending approval for this alert.');
};

export const CLICKS = [
  { id: ActionId.acknowledge, action: 'acknowledge', handle: acknowledge },
  { id: ActionId.assign, action: 'assign', handle: assign },
  { id: ActionId.investigate, action: 'investigate', handle: investigate },
  { id: ActionId.close, action: 'close', handle: close },
  { id: ActionId.deactivateKey, action: 'deactivate_key', handle: deactivate },
  { id: ActionId.revokeSessions, action: 'revoke_sessions', handle: offerSessionRevocation },
  { id: ActionId.reactivateKey, action: 'reactivate_key', handle: reactivate },
  { id: ActionId.duetYes, action: 'duet_answer', handle: duetAnswer('yes') },
  { id: ActionId.duetNo, action: 'duet_answer', handle: duetAnswer('no') },
  { id: ActionId.suppressOffer, action: 'suppress', handle: suppressOffer },
  { id: ActionId.approveRemediation, action: 'approve_remediation', handle: approve },
  { id: ActionId.rejectRemediation, action: 'approve_remediation', handle: reject },
] as const;
