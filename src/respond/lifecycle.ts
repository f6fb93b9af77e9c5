import { InputError } from '../core/errors.js';
import type { ResponseContext } from './context.js';
import type { ActionJob } from './jobs.js';
import { refreshCard } from './slack-out.js';
import type { AlertRecord, Disposition } from './types.js';

/**
 * Acknowledge, assign and close: a state change under the alert's lock, the
 * card redrawn to show it and who did it, and one audit entry. A change that
 * changes nothing (acknowledging twice) is recorded as `noop` and the card is
 * left alone.
 */

type LifecycleJob = Extract<ActionJob, { type: 'lifecycle' }>;
type CloseJob = Extract<ActionJob, { type: 'close' }>;

export async function runLifecycle(ctx: ResponseContext, job: LifecycleJob): Promise<void> {
  const at = ctx.now().toISOString();
  let changed = false;
  const alert = await ctx.alerts.update(job.alertId, (a) => {
    const next = job.op === 'acknowledge' ? acknowledged(a, job.actor.userId, at) : assigned(a, job.actor.userId, at);
    changed = next !== undefined;
    return next;
  });
  if (!alert) throw new InputError(`alert ${job.alertId} is unknown`, { code: 'ALERT_UNKNOWN' });

  await ctx.record(job.actor, { action: job.op, target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: changed ? 'ok' : 'noop' });
  if (changed) await refreshCard(ctx, alert);
}

function acknowledged(a: AlertRecord, userId: string, at: string): AlertRecord | undefined {
  if (a.kind !== 'alert' || a.state !== 'open') return undefined;
  return { ...a, state: 'acknowledged', stateBy: userId, stateAt: at, assignee: a.assignee ?? userId };
}

function assigned(a: AlertRecord, userId: string, at: string): AlertRecord | undefined {
  if (a.kind !== 'alert' || a.state === 'closed' || a.assignee === userId) return undefined;
  if (a.state === 'open') return { ...a, state: 'acknowledged', stateBy: userId, stateAt: at, assignee: userId };
  return { ...a, assignee: userId };
}

export async function runClose(ctx: ResponseContext, job: CloseJob): Promise<void> {
  const at = ctx.now().toISOString();
  let changed = false;
  const alert = await ctx.alerts.update(job.alertId, (a) => {
    const next = closed(a, job.actor.userId, at, job.disposition, job.note);
    changed = next !== undefined;
    return next;
  });
  if (!alert) throw new InputError(`alert ${job.alertId} is unknown`, { code: 'ALERT_UNKNOWN' });

  const detail = `${job.disposition}${job.note ? `: ${job.note.slice(0, 500)}` : ''}`;
  await ctx.record(job.actor, { action: 'close', target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: changed ? 'ok' : 'noop', detail });
  if (changed) await refreshCard(ctx, alert);
}

function closed(a: AlertRecord, userId: string, at: string, disposition: Disposition, note?: string): AlertRecord | undefined {
  if (a.kind !== 'alert' || a.state === 'closed') return undefined;
  const next: AlertRecord = { ...a, state: 'closed', stateBy: userId, stateAt: at, disposition };
  if (note !== undefined && note.trim() !== '') next.note = note.trim();
  return next;
}
