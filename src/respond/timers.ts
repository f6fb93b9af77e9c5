import type { ResponseContext } from './context.js';
import { jobIdOf } from './jobs.js';
import { threadNote } from './slack-out.js';
import type { AlertRecord } from './types.js';

/**
 * The acknowledgement timer: an alert nobody acknowledged in the tenant's
 * time gets a reminder in its thread that mentions the on-call user group.
 * That mention is the only one Picket ever writes, and it is built from the
 * configured group id alone, never from finding text.
 */

const GROUP_ID = /^S[A-Z0-9]{2,}$/;

export async function scheduleAckEscalation(ctx: ResponseContext, alert: AlertRecord): Promise<void> {
  const minutes = ctx.configFor(alert.tenantId)?.ack_escalation.after_minutes ?? 30;
  await ctx.enqueue({ type: 'ack-escalate', alertId: alert.id }, { jobId: jobIdOf('ack-escalate', alert.id), delay: minutes * 60_000 });
}

export function oncallMention(groupId: string | undefined): string | undefined {
  return groupId !== undefined && GROUP_ID.test(groupId) ? `<!subteam^${groupId}>` : undefined;
}

export async function runAckEscalation(ctx: ResponseContext, alertId: string): Promise<void> {
  const alert = await ctx.alerts.get(alertId);
  if (!alert || alert.kind !== 'alert' || alert.state !== 'open') return;
  const settings = ctx.configFor(alert.tenantId)?.ack_escalation;
  const mention = oncallMention(settings?.oncall_group);
  const minutes = settings?.after_minutes ?? 30;
  const text = `⏰ Nobody has acknowledged this alert in ${minutes} minutes.${mention ? ` ${mention} please take a look.` : ''}`;
  await threadNote(ctx, alert, text);
  await ctx.record('picket', { action: 'ack_escalation', target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'ok', detail: mention ? `mentioned ${settings?.oncall_group}` : 'no on-call group configured' });
}
