import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AuditEntry } from '../audit.js';
import { authorize } from '../authorize.js';
import type { ResponseContext } from '../context.js';
import { NO_TENANT } from '../keys.js';
import type { Actor, AlertRecord, ResponseAction, Role } from '../types.js';

/**
 * `/picket audit [alert id]`, `/picket audit export [alert id]`,
 * `/picket suppressions`, `/picket suppressions revoke <id>`. Each is limited
 * to what the caller's roles allow, in the tenants where they hold them.
 */

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const PICKET_USAGE = 'Usage: `/picket audit [alert id]`, `/picket audit export [alert id]`, `/picket suppressions`, `/picket suppressions revoke <id>`';

/** The caller's roles per tenant; `_` stands for accounts no tenant owns. */
async function rolesByTenant(ctx: ResponseContext, userId: string): Promise<Map<string, Role[]>> {
  const out = new Map<string, Role[]>();
  for (const tenant of ctx.deps.config.tenants) out.set(tenant.id, (await ctx.actorFor(userId, undefined, tenant.id)).roles);
  out.set(NO_TENANT, (await ctx.actorFor(userId, undefined, undefined)).roles);
  return out;
}

function allowedTenants(byTenant: Map<string, Role[]>, action: ResponseAction): Set<string> {
  return new Set([...byTenant].filter(([, roles]) => authorize(action, roles).allowed).map(([id]) => id));
}

export function picketCommand(ctx: ResponseContext) {
  return async (args: CommandArgs): Promise<void> => {
    await args.ack();
    const [sub, ...rest] = args.command.text.trim().split(/\s+/).filter((w) => w !== '');
    const say = async (text: string) => void (await args.respond({ response_type: 'ephemeral', text: text.slice(0, 3900) }));
    const userId = args.command.user_id;
    const byTenant = await rolesByTenant(ctx, userId);
    const actor: Actor = { userId, roles: [...new Set([...byTenant.values()].flat())] };

    if (sub === 'audit') return audit(ctx, args, actor, byTenant, rest, say);
    if (sub === 'suppressions') return suppressions(ctx, actor, byTenant, rest, say);
    return say(PICKET_USAGE);
  };
}

async function audit(ctx: ResponseContext, args: CommandArgs, actor: Actor, byTenant: Map<string, Role[]>, rest: string[], say: (t: string) => Promise<void>): Promise<void> {
  const exporting = rest[0] === 'export';
  const alertId = exporting ? rest[1] : rest[0];
  const alert = alertId ? await ctx.alerts.get(alertId) : undefined;
  if (alertId && !alert) return say(`No alert \`${alertId.replace(/[^a-f0-9]/g, '')}\`.`);
  const visible = allowedTenants(byTenant, 'audit_view');
  const tenantKey = alert ? (alert.tenantId ?? NO_TENANT) : undefined;
  const allowed = tenantKey ? visible.has(tenantKey) : visible.size > 0;
  if (!allowed) {
    await ctx.record(actor, { action: 'audit_view', target: alertId ?? 'all', alertId, ...ownTenant(alert), result: 'refused', detail: 'audit view needs the analyst or responder role' });
    return say('🚫 The audit trail is for analysts and responders of that tenant.');
  }
  if (exporting) {
    if (!alert && visible.size < byTenant.size) return say('🚫 Exporting the whole trail needs the analyst or responder role in every tenant; export one alert instead.');
    await ctx.enqueue({ type: 'audit-export', actor, ...(alertId ? { alertId } : {}), reply: { channel: args.command.channel_id, userId: actor.userId, responseUrl: args.command.response_url } });
    return say('📤 Exporting the audit trail as JSON lines; the file will appear in this channel.');
  }
  // Filtered before the newest are taken: another tenant's busy hour cannot push the caller's own entries out.
  const read = alertId ? { alertId } : { tenants: [...visible] };
  const entries = (await ctx.audit.recent({ ...read, limit: 30 })).filter((e) => visible.has(e.tenant ?? NO_TENANT));
  await ctx.record(actor, { action: 'audit_view', target: alertId ?? 'all', alertId, ...ownTenant(alert), result: 'ok' });
  return say(entries.length === 0 ? 'No audit entries.' : entries.map(auditLine).join('\n'));
}

function ownTenant(alert: AlertRecord | undefined): { tenant?: string } {
  return alert?.tenantId === undefined ? {} : { tenant: alert.tenantId };
}

export function auditLine(e: AuditEntry): string {
  // Inside code spans mrkdwn is inert; only the characters that could close a span or open a link go.
  const clean = (s: string | undefined, max: number) => `\`${(s ?? '').replace(/[<>&`]/g, '').slice(0, max)}\``;
  const aws = e.awsRequestId ? ` · aws ${clean(e.awsRequestId, 60)}` : '';
  const detail = e.detail ? ` · ${clean(e.detail, 160)}` : '';
  return `${clean(e.time, 30)} ${clean(e.user, 20)} (${e.role.replace(/[^a-z+]/g, '')}) ${clean(e.action, 40)} ${clean(e.target, 80)} → *${e.result}*${aws}${detail}`;
}

async function suppressions(ctx: ResponseContext, actor: Actor, byTenant: Map<string, Role[]>, rest: string[], say: (t: string) => Promise<void>): Promise<void> {
  if (rest[0] === 'revoke' && rest[1]) {
    const found = await ctx.suppressions.get(rest[1]);
    const may = found !== undefined && allowedTenants(byTenant, 'suppression_revoke').has(found.tenant);
    if (!found || !may) {
      await ctx.record(actor, { action: 'suppression_revoke', target: rest[1].slice(0, 40), result: 'refused', ...(found ? { tenant: found.tenant } : {}), detail: found ? 'needs the analyst role for the tenant' : 'unknown suppression' });
      return say('🚫 No such suppression that you may revoke.');
    }
    await ctx.suppressions.revoke(found.id);
    await ctx.record(actor, { action: 'suppression_revoke', target: found.id, tenant: found.tenant, result: 'ok', detail: `${found.ruleId} ${JSON.stringify(found.match)}` });
    return say(`Revoked \`${found.id}\`.`);
  }
  const visible = allowedTenants(byTenant, 'suppression_list');
  if (visible.size === 0) return say('🚫 Suppressions are for analysts and responders.');
  const list = (await ctx.suppressions.list(ctx.now())).filter((s) => visible.has(s.tenant));
  const lines = list.map((s) => `\`${s.id}\` ${s.tenant} ${s.ruleId} ${Object.entries(s.match).map(([k, v]) => `${k}=${v}`).join(',').replace(/[<>&`]/g, '')} until ${s.expiresAt} by ${s.owner}`);
  return say(lines.length === 0 ? 'No live suppressions.' : lines.join('\n'));
}
