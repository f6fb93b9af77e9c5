import { cloudTrailCard, investigationCard } from '../../blocks/investigation.js';
import { errorMessage } from '../core/errors.js';
import type { ResponseContext } from './context.js';
import type { InvestigationResult } from './deps.js';
import type { ActionJob } from './jobs.js';
import { ephemeral } from './slack-out.js';

/**
 * Investigations run as jobs: a progress message in the alert's thread (or
 * the command's channel) edited as providers report, the compact summary,
 * then the full results as files. Time is bounded here; the number of AWS
 * calls is bounded by the enrichment module.
 */

type InvestigateJob = Extract<ActionJob, { type: 'investigate' }>;
type CloudTrailJob = Extract<ActionJob, { type: 'cloudtrail' }>;

const DEFAULT_TIMEOUT_MS = 120_000;

/** Every entry names the tenant that owns the account looked into, so only that tenant's people see it. */
function tenantOf(ctx: ResponseContext, accountId: string): { tenant?: string } {
  const tenant = ctx.tenants.forAccount(accountId).tenant?.id;
  return tenant === undefined ? {} : { tenant };
}

export async function runInvestigation(ctx: ResponseContext, job: InvestigateJob): Promise<void> {
  const where = await placeOf(ctx, job);
  const tenant = tenantOf(ctx, job.request.accountId);
  const label = `Investigation: ${job.request.kind} ${job.request.id}`;
  const progress = await ctx.deps.slack.chat.postMessage({ channel: where.channel, ...(where.threadTs ? { thread_ts: where.threadTs } : {}), text: `🔎 ${label}: starting…` });
  const edit = (text: string) => {
    if (progress.ts) void ctx.deps.slack.chat.update({ channel: where.channel, ts: progress.ts, text }).catch(() => undefined);
  };

  const req = { ...job.request, since: new Date(job.request.since), until: new Date(job.request.until) };
  const result = await bounded(ctx.deps.investigate(req, (step) => edit(`🔎 ${label}: ${step.slice(0, 200)}`)), ctx.deps.investigationTimeoutMs ?? DEFAULT_TIMEOUT_MS).catch((err: unknown) => err);
  if (!isResult(result)) {
    edit(`⚠️ ${label}: ${result === TIMED_OUT ? 'timed out' : 'failed'}`);
    await ctx.record(job.actor, { action: 'investigate', target: `${job.request.kind}:${job.request.id}`, alertId: job.alertId, ...tenant, result: 'failed', detail: result === TIMED_OUT ? 'timed out' : errorMessage(result).slice(0, 300) });
    return;
  }
  edit(`✅ ${label}: done`);
  const card = investigationCard(label, result.summaryLines, result.files.length);
  await ctx.deps.slack.chat.postMessage({ channel: where.channel, ...(where.threadTs ? { thread_ts: where.threadTs } : {}), ...card });
  for (const file of result.files) {
    const content = typeof file.content === 'string' ? file.content : file.content.toString('utf8');
    const common = { channel_id: where.channel, filename: file.name, title: file.title, content };
    await ctx.deps.slack.filesUploadV2(where.threadTs ? { ...common, thread_ts: where.threadTs } : common);
  }
  await ctx.record(job.actor, { action: 'investigate', target: `${job.request.kind}:${job.request.id}`, alertId: job.alertId, ...tenant, result: 'ok', detail: `${result.summaryLines.length} lines, ${result.files.length} files` });
}

async function placeOf(ctx: ResponseContext, job: InvestigateJob): Promise<{ channel: string; threadTs?: string }> {
  const alert = job.alertId ? await ctx.alerts.get(job.alertId) : undefined;
  if (alert) return { channel: alert.channel, threadTs: alert.ts };
  return { channel: job.reply?.channel ?? '' };
}

const TIMED_OUT = Symbol('timed out');

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function isResult(value: unknown): value is InvestigationResult {
  return typeof value === 'object' && value !== null && 'summaryLines' in value && Array.isArray(value.summaryLines);
}

export async function runCloudTrailQuery(ctx: ResponseContext, job: CloudTrailJob): Promise<void> {
  const q = job.query;
  const title = `CloudTrail ${q.key}=${q.value} in ${q.accountId}/${q.region}`;
  const tenant = tenantOf(ctx, q.accountId);
  try {
    const out = await ctx.deps.queryCloudTrail({ accountId: q.accountId, region: q.region, attribute: { key: q.key, value: q.value }, since: new Date(q.since), until: new Date(q.until), maxResults: 50 });
    const card = cloudTrailCard(title, out.events, out.truncated === true);
    await ctx.deps.slack.chat.postMessage({ channel: job.reply.channel, ...card });
    await ctx.record(job.actor, { action: 'query_cloudtrail', target: `${q.key}=${q.value}`, ...tenant, result: 'ok', detail: `${out.events.length} events` });
  } catch (err) {
    await ephemeral(ctx, job.reply, `⚠️ ${title} failed: ${errorMessage(err).slice(0, 200)}`);
    await ctx.record(job.actor, { action: 'query_cloudtrail', target: `${q.key}=${q.value}`, ...tenant, result: 'failed', detail: errorMessage(err).slice(0, 300) });
  }
}
