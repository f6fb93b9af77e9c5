import { longTermKey } from '../../blocks/buttons.js';
import { keyConfirmView, refusalView, type RemediateMeta } from '../../blocks/response-modals.js';
import { errorMessage } from '../core/errors.js';
import type { ResponseContext } from './context.js';
import type { ActionJob } from './jobs.js';
import { describeKey } from './remediation/iam-keys.js';
import { isProtected } from './remediation/protect.js';
import { actorAccount } from './tenant-account.js';

/**
 * Fills the deactivate confirmation modal (opened at once with a loading
 * message, because a trigger id lives three seconds) with what IAM says
 * about the key: owner, created, last used, and the protect-list verdict.
 */

type KeyDetailsJob = Extract<ActionJob, { type: 'key-details' }>;

export async function showKeyDetails(ctx: ResponseContext, job: KeyDetailsJob): Promise<void> {
  const alert = await ctx.alerts.get(job.alertId);
  const keyId = alert ? longTermKey(alert.signal) : undefined;
  if (!alert || !keyId) {
    await ctx.deps.slack.views.update({ view_id: job.viewId, view: refusalView('Deactivate access key', 'This alert names no long-term access key.') });
    return;
  }
  const account = actorAccount(ctx, alert);
  if (!account.ok) {
    await ctx.record(job.actor, { action: 'deactivate_key', target: keyId, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail: account.reason });
    await ctx.deps.slack.views.update({ view_id: job.viewId, view: refusalView('Deactivate access key', `Refused: ${account.reason}.`) });
    return;
  }
  const accountId = account.accountId;
  const config = ctx.configFor(alert.tenantId);
  try {
    const facts = await describeKey(await ctx.deps.iamFor(accountId), keyId);
    const meta: RemediateMeta = { alertId: alert.id, op: 'deactivate', generation: alert.remediation?.generation ?? 0 };
    const view = keyConfirmView(meta, {
      facts,
      isProtected: isProtected(config, { userName: facts.userName, keyId, arn: alert.signal.actor?.arn }),
      twoPerson: config?.two_person.enabled ?? false,
      windowMinutes: config?.two_person.window_minutes ?? 30,
    });
    await ctx.deps.slack.views.update({ view_id: job.viewId, view });
  } catch (err) {
    await ctx.deps.slack.views.update({ view_id: job.viewId, view: refusalView('Deactivate access key', `IAM did not describe the key: ${errorMessage(err).slice(0, 200)}`) });
  }
}
