import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parseButtonValue } from '../../../blocks/button-value.js';
import { LogField } from '../../core/log.js';
import { authorize } from '../authorize.js';
import type { ResponseContext } from '../context.js';
import type { Actor, AlertRecord, ResponseAction } from '../types.js';

/**
 * The one path every card button takes: acknowledge Slack first, find the
 * alert from the button's finding id (nothing else in the payload is
 * trusted), resolve the clicker's roles for that alert's tenant, and refuse
 * (privately, audited, card untouched) anyone the table does not allow.
 */

export type ClickArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export interface Click {
  alert: AlertRecord;
  actor: Actor;
  body: BlockAction;
  args: ClickArgs;
  /** Tell the clicker something only they see. */
  tell(text: string): Promise<void>;
}

export type ClickHandler = (ctx: ResponseContext, click: Click) => Promise<void>;

export function onClick(ctx: ResponseContext, action: ResponseAction, handle: ClickHandler) {
  return async (args: ClickArgs): Promise<void> => {
    await args.ack();
    try {
      await authorizedClick(ctx, action, args, handle);
    } catch (err) {
      ctx.deps.log.error('click handler failed', { action, [LogField.error]: err });
    }
  };
}

async function authorizedClick(ctx: ResponseContext, action: ResponseAction, args: ClickArgs, handle: ClickHandler): Promise<void> {
  const body = args.body;
  const userId = body.user.id;
  const value = parseButtonValue(args.action.type === 'button' ? (args.action.value ?? '') : '');
  const found = value && !value.truncated ? await ctx.alerts.byFinding(value.findingId) : undefined;
  const alert = found ? await forAction(ctx, found, action) : undefined;
  const channel = body.channel?.id ?? alert?.channel ?? '';
  const tell = async (text: string) => {
    await args.client.chat.postEphemeral({ channel, user: userId, text });
  };

  if (!alert) {
    await ctx.record({ userId, roles: [] }, { action, target: value?.findingId ?? 'unknown', result: 'refused', detail: 'no alert Picket knows for this button' });
    await tell('Picket has no record of this alert, so nothing was done.');
    return;
  }
  const actor = await ctx.actorFor(userId, alert);
  const verdict = authorize(action, actor.roles);
  if (!verdict.allowed) {
    await ctx.record(actor, { action, target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail: verdict.reason });
    await tell(`🚫 You can't do that here: ${verdict.reason ?? 'not allowed'}.`);
    return;
  }
  await handle(ctx, { alert, actor, body, args, tell });
}

/** DUET-only buttons on a DUET that was escalated: its finding now resolves to the SOC alert, so follow the link back. */
const DUET_ACTIONS: ReadonlySet<ResponseAction> = new Set(['duet_answer', 'suppress']);

async function forAction(ctx: ResponseContext, alert: AlertRecord, action: ResponseAction): Promise<AlertRecord> {
  if (!DUET_ACTIONS.has(action) || alert.kind !== 'alert' || alert.linkedAlertId === undefined) return alert;
  const duet = await ctx.alerts.get(alert.linkedAlertId);
  return duet?.kind === 'duet' ? duet : alert;
}
