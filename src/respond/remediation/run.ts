import type { IAMClient } from '@aws-sdk/client-iam';
import { ActionId } from '../../../blocks/action-ids.js';
import { encodeButtonValue } from '../../../blocks/button-value.js';
import { longTermKey } from '../../../blocks/buttons.js';
import { actions, button, section } from '../../../blocks/kit.js';
import { temporaryKey } from '../../../blocks/response-card.js';
import { InputError } from '../../core/errors.js';
import { authorize } from '../authorize.js';
import type { ResponseContext } from '../context.js';
import type { ActionJob } from '../jobs.js';
import { jobIdOf } from '../jobs.js';
import { respondKeys } from '../keys.js';
import { refreshCard, threadNote } from '../slack-out.js';
import type { Actor, AlertRecord, RemediationState, ResponseAction } from '../types.js';
import { classifyAwsError, giveUp } from './errors.js';
import { describeKey, keyStatus, revokeRoleSessions, setKeyStatus, verifyKeyStatus } from './iam-keys.js';
import { runOnce } from './once.js';
import { isProtected } from './protect.js';
import { actorAccount } from '../tenant-account.js';

/**
 * One remediation job: re-check who asked, re-check the protect list, make
 * the IAM change at most once for this operation, read it back, then say so
 * on the card, in the thread and in the audit trail.
 */

export type RemediateJob = Extract<ActionJob, { type: 'remediate' }>;

const ACTION_OF: Record<RemediateJob['op'], ResponseAction> = {
  deactivate: 'deactivate_key',
  reactivate: 'reactivate_key',
  revoke_sessions: 'revoke_sessions',
};

interface Target {
  accountId: string;
  iam: IAMClient;
  keyId?: string;
  userName?: string;
  roleName?: string;
  arn?: string;
}

export async function runRemediation(ctx: ResponseContext, job: RemediateJob): Promise<void> {
  const alert = await ctx.alerts.get(job.alertId);
  if (!alert) throw new InputError(`alert ${job.alertId} is unknown`, { code: 'ALERT_UNKNOWN' });
  const actor = job.auto ? job.actor : await ctx.actorFor(job.actor.userId, alert);
  const base = { alertId: alert.id, tenant: alert.tenantId, action: ACTION_OF[job.op] };

  const verdict = authorize(ACTION_OF[job.op], actor.roles);
  if (!job.auto && !verdict.allowed) {
    await ctx.record(actor, { ...base, target: alert.id, result: 'refused', detail: verdict.reason });
    return;
  }
  if (job.generation !== (alert.remediation?.generation ?? 0)) {
    await ctx.record(actor, { ...base, target: alert.id, result: 'noop', detail: 'the key changed state since this was asked' });
    return;
  }

  const account = actorAccount(ctx, alert);
  if (!account.ok) {
    await ctx.record(actor, { ...base, target: alert.signal.actor?.accessKeyId ?? alert.id, result: 'refused', detail: account.reason });
    await threadNote(ctx, alert, `🚫 ${ACTION_OF[job.op].replace(/_/g, ' ')} refused: ${account.reason}.`);
    return;
  }
  const target = await resolveTarget(ctx, alert, job.op, account.accountId);
  const check = await protection(ctx, alert, job, target);
  if (check.kind === 'approval') {
    await requestApproval(ctx, alert, job, actor, targetName(target));
    return;
  }
  if (check.kind === 'refuse') {
    await ctx.record(actor, { ...base, target: targetName(target), result: 'refused', detail: check.reason });
    await threadNote(ctx, alert, `🛡️ ${check.reason}`);
    return;
  }
  await apply(ctx, alert, job, actor, target);
}

async function resolveTarget(ctx: ResponseContext, alert: AlertRecord, op: RemediateJob['op'], accountId: string): Promise<Target> {
  const iam = await ctx.deps.iamFor(accountId);
  if (op === 'revoke_sessions') {
    const roleName = alert.signal.actor?.roleName;
    if (!roleName || !temporaryKey(alert)) throw new InputError(`alert ${alert.id} has no role session to revoke`, { code: 'NO_ROLE' });
    return { accountId, iam, roleName, arn: alert.signal.actor?.arn };
  }
  const keyId = longTermKey(alert.signal);
  if (!keyId) throw new InputError(`alert ${alert.id} has no long-term access key`, { code: 'NO_KEY' });
  const facts = await describeKey(iam, keyId).catch((err: unknown) => failHard(ctx, alert, op, keyId, err));
  return { accountId, iam, keyId, userName: facts.userName, arn: alert.signal.actor?.arn };
}

type Protection = { kind: 'ok' } | { kind: 'approval' } | { kind: 'refuse'; reason: string };

/** Undo is never blocked; taking access away from a protected principal needs a distinct second responder. */
async function protection(ctx: ResponseContext, alert: AlertRecord, job: RemediateJob, target: Target): Promise<Protection> {
  if (job.op === 'reactivate') return { kind: 'ok' };
  const config = ctx.configFor(alert.tenantId);
  if (!isProtected(config, target)) return { kind: 'ok' };
  const name = targetName(target);
  if (job.auto) return { kind: 'refuse', reason: `Auto-remediation skipped: ${name} is on the protect list.` };
  if (!config?.two_person.enabled) return { kind: 'refuse', reason: `${name} is on the protect list: remediation is refused for it.` };
  if (!job.approvedBy) return { kind: 'approval' };
  if (job.approvedBy === job.actor.userId) return { kind: 'refuse', reason: `${name} is protected: the approver must be a different responder.` };
  const approver = await ctx.actorFor(job.approvedBy, alert);
  if (!authorize('approve_remediation', approver.roles).allowed) return { kind: 'refuse', reason: `${name} is protected: the approver is not a responder.` };
  return { kind: 'ok' };
}

async function requestApproval(ctx: ResponseContext, alert: AlertRecord, job: RemediateJob, actor: Actor, name: string): Promise<void> {
  if (job.op === 'reactivate') return;
  const config = ctx.configFor(alert.tenantId);
  const minutes = config?.two_person.window_minutes ?? 30;
  const now = ctx.now();
  const approval = {
    alertId: alert.id,
    op: job.op,
    target: name,
    requestedBy: actor.userId,
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
    generation: job.generation,
    ...(job.before ? { before: job.before } : {}),
  };
  const fresh = await ctx.approvals.request(approval);
  await ctx.record(actor, { action: 'request_approval', target: name, alertId: alert.id, tenant: alert.tenantId, result: fresh ? 'requested' : 'noop', detail: fresh ? `${job.op}; expires ${approval.expiresAt}` : 'an approval is already pending' });
  if (!fresh) return;
  const value = encodeButtonValue(alert.signal.id, alert.ruleId);
  const text = `🛡️ ${name} is protected. A second responder must approve this ${job.op === 'deactivate' ? 'key deactivation' : 'session revocation'} within ${minutes} minutes; nothing changes until then.`;
  await threadNote(ctx, alert, text, [
    section(text),
    actions('picket.remediation.approval', [
      button({ text: 'Approve', actionId: ActionId.approveRemediation, value, style: 'danger' }),
      button({ text: 'Reject', actionId: ActionId.rejectRemediation, value }),
    ]),
  ]);
}

function targetName(target: Target): string {
  return target.keyId ? `${target.keyId} (${target.userName ?? 'unknown owner'})` : `role ${target.roleName ?? 'unknown'}`;
}

async function apply(ctx: ResponseContext, alert: AlertRecord, job: RemediateJob, actor: Actor, target: Target): Promise<void> {
  const opKey = jobIdOf(alert.id, job.op, target.keyId ?? target.roleName ?? '', `g${job.generation}`);
  try {
    const outcome = job.op === 'revoke_sessions' ? await revoke(ctx, opKey, target, job) : await flipKey(ctx, opKey, target, job.op);
    await settle(ctx, alert, job, actor, { ...outcome, opKey });
  } catch (err) {
    await failHard(ctx, alert, job.op, targetName(target), err, actor);
  }
}

interface Outcome {
  state: RemediationState;
  requestId?: string;
  verifyRequestId?: string;
  called: boolean;
}

async function flipKey(ctx: ResponseContext, opKey: string, target: Target, op: 'deactivate' | 'reactivate'): Promise<Omit<Outcome, 'state'> & { result: 'inactive' | 'active'; target: string }> {
  const status = op === 'deactivate' ? 'Inactive' : 'Active';
  const userName = target.userName ?? '';
  const keyId = target.keyId ?? '';
  const once = await runOnce(ctx.deps.redis, ctx.deps.prefix, opKey, {
    call: () => setKeyStatus(target.iam, userName, keyId, status),
    landed: async () => (await keyStatus(target.iam, userName, keyId)).status === status,
  });
  const verifyRequestId = await verifyKeyStatus(target.iam, userName, keyId, status);
  return { called: once.called, requestId: once.requestId, verifyRequestId, result: status === 'Inactive' ? 'inactive' : 'active', target: keyId };
}

async function revoke(ctx: ResponseContext, opKey: string, target: Target, job: RemediateJob): Promise<Omit<Outcome, 'state'> & { result: 'revoked'; target: string }> {
  const roleName = target.roleName ?? '';
  const before = job.before ?? ctx.now().toISOString();
  const once = await runOnce(ctx.deps.redis, ctx.deps.prefix, opKey, {
    call: () => revokeRoleSessions(target.iam, roleName, before),
    // The policy write is idempotent; after a crash we simply write it again.
    landed: async () => false,
  });
  return { called: once.called, requestId: once.requestId, result: 'revoked', target: roleName };
}

async function settle(ctx: ResponseContext, alert: AlertRecord, job: RemediateJob, actor: Actor, outcome: Omit<Outcome, 'state'> & { result: RemediationState['result']; target: string; opKey: string }): Promise<void> {
  const at = job.before ?? ctx.now().toISOString();
  const generation = job.op === 'reactivate' ? job.generation + 1 : job.generation;
  const state: RemediationState = { op: job.op, target: outcome.target, result: outcome.result, by: actor.userId, at, generation };
  const updated = (await ctx.alerts.update(alert.id, (a) => ({ ...a, remediation: state }))) ?? alert;

  const detail = [job.auto ? 'automatic' : undefined, job.approvedBy ? `approved by ${job.approvedBy}` : undefined, outcome.called ? undefined : 'already applied; IAM not called again'].filter(Boolean).join('; ');
  await ctx.record(actor, { action: ACTION_OF[job.op], target: outcome.target, alertId: alert.id, tenant: alert.tenantId, result: 'ok', awsRequestId: outcome.requestId, ...(detail ? { detail } : {}) });
  await refreshCard(ctx, updated);
  await announceOnce(ctx, outcome.opKey, () => announce(ctx, updated, job, outcome.target));
}

/**
 * One thread note per operation: the automatic job and a responder's confirm
 * may both settle the same change. The note is claimed first and the claim
 * given back if posting fails, so a retry still says it.
 */
async function announceOnce(ctx: ResponseContext, opKey: string, post: () => Promise<void>): Promise<void> {
  const key = `${respondKeys(ctx.deps.prefix).idem(opKey)}:announced`;
  if ((await ctx.deps.redis.set(key, '1', 'EX', 30 * 24 * 3600, 'NX')) !== 'OK') return;
  try {
    await post();
  } catch (err) {
    await ctx.deps.redis.del(key);
    throw err;
  }
}

async function announce(ctx: ResponseContext, alert: AlertRecord, job: RemediateJob, target: string): Promise<void> {
  const value = encodeButtonValue(alert.signal.id, alert.ruleId);
  if (job.op === 'deactivate') {
    const text = `🔒 ${job.auto ? 'Auto-remediation: a' : 'A'}ccess key \`${target}\` was deactivated and IAM confirms it is Inactive. Responders can undo this.`;
    await threadNote(ctx, alert, text, [section(text), actions('picket.remediation.undo', [button({ text: 'Reactivate access key', actionId: ActionId.reactivateKey, value })])]);
  } else if (job.op === 'reactivate') {
    await threadNote(ctx, alert, `🔓 Access key \`${target}\` was reactivated and IAM confirms it is Active.`);
  } else {
    await threadNote(ctx, alert, `⛔ Sessions of role \`${target}\` issued before ${job.before ?? 'now'} are denied by the inline policy PicketRevokeOlderSessions. New sessions still work.`);
  }
}

async function failHard(ctx: ResponseContext, alert: AlertRecord, op: RemediateJob['op'], target: string, err: unknown, actor?: Actor): Promise<never> {
  const failure = classifyAwsError(err);
  if (!failure.permanent) throw err;
  await ctx.record(actor ?? 'picket', { action: ACTION_OF[op], target, alertId: alert.id, tenant: alert.tenantId, result: 'failed', awsRequestId: failure.requestId, detail: `${failure.name}: ${failure.message}`.slice(0, 500) });
  await threadNote(ctx, alert, `⚠️ ${ACTION_OF[op].replace(/_/g, ' ')} of \`${target}\` failed: ${failure.name}. Nothing was retried; see the audit trail.`);
  throw giveUp(failure);
}

/** Which remediation a job is, for the auto-remediation path and the listeners. */
export function remediationGeneration(alert: AlertRecord): number {
  return alert.remediation?.generation ?? 0;
}
