/**
 * `/hunt` in Slack. `/hunt` alone lists the hunts; `/hunt <id> <account>
 * [region[,region…]] [since] [Attribute=value]` runs one live for an analyst
 * of the account's tenant. Like `/investigate`: acknowledge at once, parse,
 * authorize, audit, and leave the work to the `hunts` queue.
 */

import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Queue } from 'bullmq';
import { authorize } from '../respond/authorize.js';
import { responseContext, type ResponseContext } from '../respond/context.js';
import type { ResponseDeps } from '../respond/deps.js';
import type { Role } from '../respond/types.js';
import { windowMs } from './fields.js';
import { huntLine } from './format.js';
import { HUNT_JOB_OPTIONS, type HuntJob } from './jobs.js';
import { MAX_LOOKBACK_MS } from './live.js';
import type { HuntSet } from './load.js';
import { LOOKUP_ATTRIBUTES, type LookupAttribute } from './schema.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export interface HuntSlackDeps {
  response: ResponseDeps;
  hunts: HuntSet;
  /** The `hunts` queue (createHuntQueue). */
  queue: Queue;
}

export const HUNT_USAGE =
  'Usage: `/hunt` lists hunts; `/hunt <hunt-id> <account> [region[,region…]] [since] [Attribute=value]` runs one. `since` is like 24h, 7d or an ISO date (default: the hunt\'s window); `Attribute=value` (e.g. `AccessKeyId=AKIA…`) replaces the hunt\'s CloudTrail lookup.';

/** Regions searched when none is named and the account lists none. */
const FALLBACK_REGION = 'us-east-1';
const MAX_REGIONS = 5;

export function registerHunt(app: App, deps: HuntSlackDeps): void {
  app.command('/hunt', huntSlashCommand(deps));
}

export function huntSlashCommand(deps: HuntSlackDeps) {
  const ctx = responseContext(deps.response);
  return async (args: CommandArgs): Promise<void> => {
    await args.ack();
    const say = async (text: string) => void (await args.respond({ response_type: 'ephemeral', text: text.slice(0, 3900) }));
    const words = args.command.text.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0 || words[0] === 'list') return listForCaller(ctx, deps.hunts, args.command.user_id, say);
    if (words[0] === 'help') return say(HUNT_USAGE);
    await startHunt(ctx, deps, args, words, say);
  };
}

async function listForCaller(ctx: ResponseContext, hunts: HuntSet, userId: string, say: (t: string) => Promise<void>): Promise<void> {
  const roles = await allRoles(ctx, userId);
  const verdict = authorize('detections_view', roles);
  if (!verdict.allowed) {
    await ctx.record({ userId, roles }, { action: 'hunt_list', target: 'hunts', result: 'refused', detail: verdict.reason });
    return say(`🚫 ${verdict.reason ?? 'not allowed'}.`);
  }
  const lines = hunts.hunts.map((h) => `• ${huntLine(h).replace(/[<>&]/g, '')}`);
  return say(`${hunts.hunts.length} hunt(s):\n${lines.join('\n')}\n${HUNT_USAGE}`);
}

async function allRoles(ctx: ResponseContext, userId: string): Promise<Role[]> {
  const roles = new Set<Role>();
  for (const tenant of ctx.deps.config.tenants) (await ctx.actorFor(userId, undefined, tenant.id)).roles.forEach((r) => roles.add(r));
  (await ctx.actorFor(userId, undefined, undefined)).roles.forEach((r) => roles.add(r));
  return [...roles];
}

async function startHunt(ctx: ResponseContext, deps: HuntSlackDeps, args: CommandArgs, words: string[], say: (t: string) => Promise<void>): Promise<void> {
  const { command } = args;
  const request = parseHuntCommand(words, ctx.now());
  if (typeof request === 'string') return say(request);
  const hunt = deps.hunts.find(request.huntId);
  if (!hunt) return say(`No hunt \`${request.huntId.replace(/[^A-Za-z0-9-]/g, '')}\`. \`/hunt\` lists them.`);

  const tenant = ctx.tenants.forAccount(request.accountId).tenant;
  const actor = await ctx.actorFor(command.user_id, undefined, tenant?.id);
  const target = `${hunt.id}@${request.accountId}`;
  const verdict = authorize('query_cloudtrail', actor.roles);
  const tenantField = tenant ? { tenant: tenant.id } : {};
  if (!verdict.allowed) {
    await ctx.record(actor, { action: 'hunt', target, result: 'refused', detail: verdict.reason, ...tenantField });
    return say(`🚫 ${verdict.reason ?? 'not allowed'}.`);
  }

  const regions = request.regions ?? configuredRegions(tenant?.accounts.find((a) => a.id === request.accountId)?.regions);
  const until = ctx.now();
  const since = request.since ?? new Date(until.getTime() - windowMs(hunt.spec.window));
  const job: HuntJob = {
    huntId: hunt.id,
    accountId: request.accountId,
    regions,
    since: since.toISOString(),
    until: until.toISOString(),
    ...(request.override ? { override: request.override } : {}),
    ...(tenant ? { tenantId: tenant.id } : {}),
    actor,
    reply: { channel: command.channel_id, userId: command.user_id, responseUrl: command.response_url },
  };
  await deps.queue.add('hunt', job, HUNT_JOB_OPTIONS);
  await ctx.record(actor, { action: 'hunt', target, result: 'requested', detail: `${regions.join(',')} since ${job.since}`, ...tenantField });
  await say(`🔎 Hunting ${hunt.id} in ${request.accountId} (${regions.join(', ')}) since ${job.since}. Results will appear in this channel.`);
}

function configuredRegions(regions: string[] | undefined): string[] {
  const list = (regions ?? []).slice(0, MAX_REGIONS);
  return list.length > 0 ? list : [FALLBACK_REGION];
}

export interface ParsedHuntCommand {
  huntId: string;
  accountId: string;
  regions?: string[];
  since?: Date;
  override?: { key: LookupAttribute; value: string };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The words after `/hunt`; a string is the message to show instead. */
export function parseHuntCommand(words: string[], now: Date): ParsedHuntCommand | string {
  const [huntId, accountId, ...rest] = words;
  if (!huntId || !accountId) return HUNT_USAGE;
  if (!/^\d{12}$/.test(accountId)) return 'The account must be a 12-digit account id.';
  const parsed: ParsedHuntCommand = { huntId, accountId };
  for (const word of rest) {
    const problem = takeWord(parsed, word, now);
    if (problem) return problem;
  }
  return parsed;
}

function takeWord(parsed: ParsedHuntCommand, word: string, now: Date): string | undefined {
  const pair = /^([A-Za-z]+)=(.+)$/.exec(word);
  if (pair) {
    const key = LOOKUP_ATTRIBUTES.find((a) => a.toLowerCase() === pair[1]?.toLowerCase());
    if (!key) return `Unknown CloudTrail attribute ${pair[1] ?? ''}; use one of ${LOOKUP_ATTRIBUTES.join(', ')}.`;
    parsed.override = { key, value: pair[2] ?? '' };
    return undefined;
  }
  const regions = word.split(',');
  if (regions.every((r) => REGION.test(r))) {
    if (regions.length > MAX_REGIONS) return `At most ${MAX_REGIONS} regions per hunt.`;
    parsed.regions = regions;
    return undefined;
  }
  const since = parseSince(word, now);
  if (typeof since === 'string') return since;
  parsed.since = since;
  return undefined;
}

function parseSince(text: string, now: Date): Date | string {
  const rel = /^(\d{1,4})([mhd])$/.exec(text);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[(rel?.[2] ?? 'h') as 'm' | 'h' | 'd'];
  const ms = rel ? Number(rel[1]) * unit : now.getTime() - Date.parse(text);
  if (!Number.isFinite(ms) || ms <= 0) return `${text} is neither a region, a duration (24h, 7d), a past date nor Attribute=value. ${HUNT_USAGE}`;
  if (ms > MAX_LOOKBACK_MS) return 'CloudTrail event history keeps 90 days; choose a shorter window.';
  return new Date(now.getTime() - ms);
}
