import type { Redis } from 'ioredis';
import { longTermKey } from '../../blocks/buttons.js';
import { temporaryKey } from '../../blocks/response-card.js';
import { LogField } from '../core/log.js';
import type { Triaged } from '../pipeline/triage.js';
import type { DeliveryAction } from '../queue/stats.js';
import { createCardStore } from '../slack/card-state.js';
import type { Delivery } from '../slack/delivery.js';
import { responseContext, type ResponseContext } from './context.js';
import type { ResponseDeps } from './deps.js';
import { scheduleDuetTimers } from './duet.js';
import { jobIdOf } from './jobs.js';
import { refreshCard } from './slack-out.js';
import { scheduleAckEscalation } from './timers.js';
import type { AlertRecord } from './types.js';

/**
 * Where a delivered card becomes something Picket can act on: the alert is
 * recorded, its timers start, and a rule the tenant chose for
 * auto-remediation is acted on. Wraps the delivery, so the queue worker and
 * delivery code stay as they are.
 */

export function withResponse(delivery: Delivery, deps: ResponseDeps): Delivery {
  const ctx = responseContext(deps);
  const cards = createCardStore(deps.redis as Redis, deps.prefix);
  return {
    deliver: async (triaged) => {
      const action = await delivery.deliver(triaged);
      if (action !== 'posted' && action !== 'updated') return action;
      const ref = triaged.cardKey ? await cards.get(triaged.cardKey) : undefined;
      if (ref) {
        await onDelivered(ctx, triaged, ref, action).catch((err: unknown) =>
          deps.log.error('response bookkeeping failed for a delivered card', { cardKey: triaged.cardKey, [LogField.error]: err }),
        );
      }
      return action;
    },
  };
}

export async function onDelivered(ctx: ResponseContext, triaged: Triaged, ref: { channel: string; ts: string }, action: DeliveryAction): Promise<AlertRecord | undefined> {
  const { signal, decision, cardKey } = triaged;
  if (!signal || !decision || !cardKey || (triaged.outcome !== 'alert' && triaged.outcome !== 'duet')) return undefined;
  const kind = triaged.outcome === 'duet' ? 'duet' : 'alert';
  const { alert, created } = await ctx.alerts.register({ kind, cardKey, tenantId: triaged.tenantId, signal, decision, channel: ref.channel, ts: ref.ts }, ctx.now());

  if (!created) {
    // The pipeline redrew the card from the finding alone; put the state and its buttons back.
    if (action === 'updated') await refreshCard(ctx, alert);
    return alert;
  }
  // AWS sample findings are test data: people may click them, nothing chases or acts on them.
  if (decision.sample) return alert;
  if (kind === 'duet') {
    await scheduleDuetTimers(ctx, alert);
    return alert;
  }
  await scheduleAckEscalation(ctx, alert);
  if (temporaryKey(alert) !== undefined && alert.signal.actor?.roleName) await refreshCard(ctx, alert);
  await maybeAutoRemediate(ctx, alert);
  return alert;
}

/** Off unless the tenant lists the rule; the protect list is checked again in the job itself. */
async function maybeAutoRemediate(ctx: ResponseContext, alert: AlertRecord): Promise<void> {
  const ruleId = alert.ruleId;
  if (!ruleId || longTermKey(alert.signal) === undefined) return;
  const config = ctx.configFor(alert.tenantId);
  const chosen = config?.auto_remediate.some((r) => r.rule === ruleId && r.action === 'deactivate_key');
  if (!config || !chosen) return;
  await ctx.enqueue(
    { type: 'remediate', op: 'deactivate', alertId: alert.id, actor: { userId: 'picket', roles: ['responder'] }, generation: 0, auto: true },
    { jobId: jobIdOf('auto', alert.id, 'deactivate', 'g0') },
  );
}
