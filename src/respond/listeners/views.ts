import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { InputId } from '../../../blocks/view-ids.js';
import { at } from '../../core/json.js';
import { LogField } from '../../core/log.js';
import { authorize } from '../authorize.js';
import type { ResponseContext } from '../context.js';
import { jobIdOf } from '../jobs.js';
import { parseJson } from '../store-json.js';
import { PRINCIPAL_FIELDS, SUPPRESSION_FIELDS, pinsPrincipal } from '../suppressions.js';
import type { AlertRecord, ResponseAction } from '../types.js';

/**
 * Modal submissions. Slack signs them like clicks, but the submitter is
 * authorized again here: a modal opened by a responder proves nothing about
 * who presses its button later.
 */

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const AlertMeta = z.object({ alertId: z.string() });
const RemediateMeta = z.object({ alertId: z.string(), op: z.enum(['deactivate', 'revoke_sessions']), generation: z.number().int().min(0) });

type Submitted = (ctx: ResponseContext, alert: AlertRecord, args: ViewArgs, userId: string) => Promise<void>;

/** Field errors Slack shows in the still-open modal, keyed by block id; undefined when the input is acceptable. */
type Validate = (args: ViewArgs) => Record<string, string> | undefined;

export function onSubmit(ctx: ResponseContext, action: (meta: unknown) => ResponseAction, handle: Submitted, validate?: Validate) {
  return async (args: ViewArgs): Promise<void> => {
    const errors = validate?.(args);
    await args.ack(errors ? { response_action: 'errors', errors } : undefined);
    const userId = args.body.user.id;
    try {
      const meta = parseJson(args.view.private_metadata);
      const refusal = await refused(ctx, userId, action(meta), meta, errors);
      if (refusal.alert) await handle(ctx, refusal.alert, args, userId);
    } catch (err) {
      ctx.deps.log.error('view submission failed', { [LogField.error]: err });
    }
  };
}

/** Every reason a submission does nothing is audited: no such alert, not allowed, or invalid input. */
async function refused(ctx: ResponseContext, userId: string, action: ResponseAction, meta: unknown, errors?: Record<string, string>): Promise<{ alert?: AlertRecord }> {
  const parsed = AlertMeta.safeParse(meta);
  const alert = parsed.success ? await ctx.alerts.get(parsed.data.alertId) : undefined;
  if (!alert) {
    const target = (parsed.success ? parsed.data.alertId : '').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'unknown';
    await ctx.record({ userId, roles: [] }, { action, target, result: 'refused', detail: 'the modal names no alert Picket knows' });
    return {};
  }
  const actor = await ctx.actorFor(userId, alert);
  const verdict = authorize(action, actor.roles);
  const reason = !verdict.allowed ? (verdict.reason ?? 'not allowed') : errors ? Object.values(errors).join(' ').slice(0, 300) : undefined;
  if (reason === undefined) return { alert };
  await ctx.record(actor, { action, target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail: reason });
  return {};
}

function input(args: ViewArgs, id: { block: string; action: string }) {
  return args.view.state.values[id.block]?.[id.action];
}

export const submitClose: Submitted = async (ctx, alert, args, userId) => {
  const disposition = z.enum(['true_positive', 'benign', 'false_positive']).safeParse(input(args, InputId.disposition)?.selected_option?.value);
  if (!disposition.success) return;
  const note = input(args, InputId.note)?.value ?? undefined;
  const actor = await ctx.actorFor(userId, alert);
  await ctx.enqueue({ type: 'close', alertId: alert.id, actor, disposition: disposition.data, ...(note ? { note: note.slice(0, 2000) } : {}) });
};

export const remediationAction = (meta: unknown): ResponseAction =>
  RemediateMeta.safeParse(meta).data?.op === 'revoke_sessions' ? 'revoke_sessions' : 'deactivate_key';

export const submitRemediation: Submitted = async (ctx, alert, args, userId) => {
  const meta = RemediateMeta.safeParse(parseJson(args.view.private_metadata));
  if (!meta.success) return;
  const { op, generation } = meta.data;
  const actor = await ctx.actorFor(userId, alert);
  const before = op === 'revoke_sessions' ? ctx.now().toISOString() : undefined;
  await ctx.enqueue(
    { type: 'remediate', op, alertId: alert.id, actor, generation, ...(before ? { before } : {}) },
    { jobId: jobIdOf('remediate', alert.id, op, `g${generation}`) },
  );
  await ctx.record(actor, { action: remediationAction(meta.data), target: alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'requested' });
};

export const SCOPE_NEEDS_PRINCIPAL = 'Tick the principal (ARN, user, role or session name) or the resource: account or region alone would mute this rule for everyone in your organisation.';

export const validateSuppression: Validate = (args) => {
  const ticked = (input(args, InputId.scope)?.selected_options ?? []).map((o) => o.value ?? '');
  return ticked.some((p) => PRINCIPAL_FIELDS.includes(p)) ? undefined : { [InputId.scope.block]: SCOPE_NEEDS_PRINCIPAL };
};

export const submitSuppression: Submitted = async (ctx, alert, args, userId) => {
  const actor = await ctx.actorFor(userId, alert);
  const refuse = (detail: string) => ctx.record(actor, { action: 'suppress', target: alert.ruleId ?? alert.id, alertId: alert.id, tenant: alert.tenantId, result: 'refused', detail });
  if (!alert.ruleId || !alert.tenantId || alert.answer?.by !== userId || alert.answer.value !== 'yes') return refuse('only the person who answered Yes can mute this rule');
  const paths = (input(args, InputId.scope)?.selected_options ?? []).map((o) => o.value).filter((p): p is (typeof SUPPRESSION_FIELDS)[number] => (SUPPRESSION_FIELDS as readonly string[]).includes(p ?? ''));
  const match = Object.fromEntries(paths.flatMap((p) => valueAt(alert, p)));
  // Checked again on the values the alert really has: a ticked field the signal lacks pins nothing.
  if (!pinsPrincipal(match)) return refuse('a suppression must pin the principal or the resource');
  const limit = ctx.configFor(alert.tenantId)?.suppression_days ?? 30;
  const days = Math.min(Math.max(Math.floor(Number(input(args, InputId.days)?.value ?? limit)) || limit, 1), limit);
  const reason = (input(args, InputId.reason)?.value ?? '').slice(0, 500);
  const expiresAt = new Date(ctx.now().getTime() + days * 24 * 3600 * 1000).toISOString();
  const created = await ctx.suppressions.add({ tenant: alert.tenantId, ruleId: alert.ruleId, match, owner: userId, reason, expiresAt }, ctx.now());
  await ctx.record(actor, { action: 'suppress', target: created.id, alertId: alert.id, tenant: alert.tenantId, result: 'ok', detail: `${alert.ruleId} ${JSON.stringify(match)} until ${expiresAt}` });
};

function valueAt(alert: AlertRecord, path: string): [string, string][] {
  const value = at(alert.signal, path);
  return typeof value === 'string' && value !== '' ? [[path, value]] : [];
}
