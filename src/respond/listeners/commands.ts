import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { authorize } from '../authorize.js';
import type { ResponseContext } from '../context.js';
import { INVESTIGATE_KINDS, type InvestigateKind } from '../deps.js';
import type { Actor, Role } from '../types.js';
import { MAX_WINDOW_MS } from './investigate-request.js';

/**
 * `/investigate` and `/detections`. Each is acknowledged at once; parsing and
 * authorization follow, and the work itself goes on the queue.
 */

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const INVESTIGATE_USAGE =
  'Usage: `/investigate <user|role|key|instance|db|ip|finding> <id> [since] [account:<12 digits>] [region:<region>]` or `/investigate trail <Username|AccessKeyId|EventName|ResourceName|EventSource> <value> [since] [account:…] [region:…]`. `since` is like 24h, 7d or an ISO date.';

export interface ParsedInvestigate {
  mode: 'investigate' | 'trail';
  kind?: InvestigateKind;
  attribute?: string;
  id: string;
  since: Date;
  until: Date;
  account?: string;
  region?: string;
}

const TRAIL_ATTRIBUTES = ['Username', 'AccessKeyId', 'EventName', 'ResourceName', 'ResourceType', 'EventSource', 'EventId', 'ReadOnly'];

export function parseInvestigate(text: string, now: Date): ParsedInvestigate | string {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const options = Object.fromEntries(words.filter((w) => /^(account|region):/.test(w)).map((w) => [w.split(':')[0], w.slice(w.indexOf(':') + 1)]));
  const plain = words.filter((w) => !/^(account|region):/.test(w));
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) return 'account: must be a 12-digit account id.';
  if (options.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region)) return 'region: must look like us-east-1.';

  const trail = plain[0] === 'trail';
  const [first, id, sinceText] = trail ? plain.slice(1) : plain;
  if (!first || !id) return INVESTIGATE_USAGE;
  const since = parseSince(sinceText, now);
  if (typeof since === 'string') return since;
  const base = { id, since, until: now, ...(options.account ? { account: options.account } : {}), ...(options.region ? { region: options.region } : {}) };
  if (trail) {
    const attribute = TRAIL_ATTRIBUTES.find((a) => a.toLowerCase() === first.toLowerCase());
    return attribute ? { mode: 'trail', attribute, ...base } : `Unknown CloudTrail attribute ${first}. ${INVESTIGATE_USAGE}`;
  }
  const kind = INVESTIGATE_KINDS.find((k) => k === first.toLowerCase());
  return kind ? { mode: 'investigate', kind, ...base } : `Unknown kind ${first}. ${INVESTIGATE_USAGE}`;
}

function parseSince(text: string | undefined, now: Date): Date | string {
  if (text === undefined) return new Date(now.getTime() - 24 * 3600 * 1000);
  const rel = /^(\d{1,4})([mhd])$/.exec(text);
  const ms = rel ? Number(rel[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'm' | 'h' | 'd'] : now.getTime() - Date.parse(text);
  if (!Number.isFinite(ms) || ms <= 0) return `since: ${text} is not a duration (24h, 7d) or a past date.`;
  if (ms > MAX_WINDOW_MS) return 'since: CloudTrail keeps 90 days of event history; choose a shorter window.';
  return new Date(now.getTime() - ms);
}

/** Which tenant account a command is about: named, found through the finding, or the caller's only one. */
async function accountFor(ctx: ResponseContext, parsed: ParsedInvestigate, userId: string): Promise<{ accountId: string; region: string; tenantId?: string } | string> {
  if (parsed.account) {
    const destination = ctx.tenants.forAccount(parsed.account);
    const region = parsed.region ?? destination.tenant?.accounts.find((a) => a.id === parsed.account)?.regions[0] ?? 'us-east-1';
    return { accountId: parsed.account, region, tenantId: destination.tenant?.id };
  }
  if (parsed.kind === 'finding') {
    const alert = await ctx.alerts.byFinding(parsed.id);
    const accountId = alert?.signal.accountId;
    if (alert && accountId) return { accountId, region: parsed.region ?? alert.signal.region ?? 'us-east-1', tenantId: alert.tenantId };
  }
  const mine = [];
  for (const tenant of ctx.deps.config.tenants) {
    if ((await ctx.actorFor(userId, undefined, tenant.id)).roles.includes('analyst')) mine.push(...tenant.accounts.map((a) => ({ accountId: a.id, region: parsed.region ?? a.regions[0] ?? 'us-east-1', tenantId: tenant.id })));
  }
  return mine.length === 1 && mine[0] ? mine[0] : 'Name the account with account:<12 digits>.';
}

export function investigateCommand(ctx: ResponseContext) {
  return async (args: CommandArgs): Promise<void> => {
    await args.ack();
    const { command } = args;
    const reply = { channel: command.channel_id, userId: command.user_id, responseUrl: command.response_url };
    const parsed = parseInvestigate(command.text, ctx.now());
    if (typeof parsed === 'string') return void (await args.respond({ response_type: 'ephemeral', text: parsed }));
    const where = await accountFor(ctx, parsed, command.user_id);
    if (typeof where === 'string') return void (await args.respond({ response_type: 'ephemeral', text: where }));

    const action = parsed.mode === 'trail' ? 'query_cloudtrail' : 'investigate';
    const actor = await ctx.actorFor(command.user_id, undefined, where.tenantId);
    const target = `${parsed.kind ?? parsed.attribute}:${parsed.id}@${where.accountId}`;
    const verdict = authorize(action, actor.roles);
    if (!verdict.allowed) {
      await ctx.record(actor, { action, target, tenant: where.tenantId, result: 'refused', detail: verdict.reason });
      return void (await args.respond({ response_type: 'ephemeral', text: `🚫 ${verdict.reason ?? 'not allowed'}.` }));
    }
    await enqueueInvestigation(ctx, parsed, where, actor, reply);
    await args.respond({ response_type: 'ephemeral', text: `🔎 Started: ${target} since ${parsed.since.toISOString()}. Results will appear in this channel.` });
  };
}

async function enqueueInvestigation(ctx: ResponseContext, parsed: ParsedInvestigate, where: { accountId: string; region: string }, actor: Actor, reply: { channel: string; userId: string; responseUrl?: string }): Promise<void> {
  const window = { since: parsed.since.toISOString(), until: parsed.until.toISOString() };
  if (parsed.mode === 'trail') {
    await ctx.enqueue({ type: 'cloudtrail', actor, query: { accountId: where.accountId, region: where.region, key: parsed.attribute ?? 'Username', value: parsed.id, ...window }, reply });
    return;
  }
  await ctx.enqueue({ type: 'investigate', actor, request: { kind: parsed.kind ?? 'finding', id: parsed.id, accountId: where.accountId, region: where.region, ...window }, reply });
}

export function detectionsCommand(ctx: ResponseContext) {
  return async (args: CommandArgs): Promise<void> => {
    await args.ack();
    const roles = new Set<Role>();
    for (const tenant of ctx.deps.config.tenants) (await ctx.actorFor(args.command.user_id, undefined, tenant.id)).roles.forEach((r) => roles.add(r));
    (await ctx.actorFor(args.command.user_id, undefined, undefined)).roles.forEach((r) => roles.add(r));
    const verdict = authorize('detections_view', [...roles]);
    if (!verdict.allowed) {
      await ctx.record({ userId: args.command.user_id, roles: [...roles] }, { action: 'detections_view', target: 'rules', result: 'refused', detail: verdict.reason });
      return void (await args.respond({ response_type: 'ephemeral', text: `🚫 ${verdict.reason ?? 'not allowed'}.` }));
    }
    const filters = args.command.text.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
    const rules = (ctx.deps.rules?.rules ?? []).filter((r) => filters.every((f) => [r.service, r.picket.route ?? 'soc', r.picket.opt_in ? 'opt-in' : ''].includes(f)));
    const lines = rules.slice(0, 80).map((r) => `• \`${r.id}\` ${r.title.replace(/[<>&]/g, '')} → ${r.picket.route ?? 'soc'}${r.picket.opt_in ? ' (opt-in)' : ''}`);
    const text = rules.length === 0 ? 'No rules match.' : `${rules.length} rule(s)${rules.length > 80 ? ', first 80' : ''}:\n${lines.join('\n')}`;
    await args.respond({ response_type: 'ephemeral', text: text.slice(0, 3900) });
  };
}
