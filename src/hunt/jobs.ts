/**
 * Live hunts run as jobs on their own `hunts` queue: `/hunt` acknowledges
 * Slack, authorizes and enqueues; the worker searches CloudTrail, posts a
 * summary in a thread and attaches the full result as a JSON file. A hunt
 * is not retried by the queue: AWS calls already retry inside callAws, and a
 * second run would post a second answer.
 */

import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { z } from 'zod';
import { investigationCard } from '../../blocks/investigation.js';
import { errorMessage } from '../core/errors.js';
import { LogField } from '../core/log.js';
import type { GeoLookup } from '../geo/lookup.js';
import { responseContext, type ResponseContext } from '../respond/context.js';
import type { ResponseDeps } from '../respond/deps.js';
import { ephemeral } from '../respond/slack-out.js';
import { summaryLines } from './format.js';
import { runLiveHunt, type LiveHuntResult, type LookupFn } from './live.js';
import type { Hunt, HuntSet } from './load.js';
import { LOOKUP_ATTRIBUTES } from './schema.js';

export const HUNTS_QUEUE = 'hunts';

export const HuntJobSchema = z.object({
  huntId: z.string().min(1),
  accountId: z.string().regex(/^\d{12}$/),
  regions: z.array(z.string().min(1)).min(1).max(5),
  since: z.string(),
  until: z.string(),
  override: z.object({ key: z.enum(LOOKUP_ATTRIBUTES), value: z.string().min(1) }).optional(),
  tenantId: z.string().optional(),
  actor: z.object({ userId: z.string(), roles: z.array(z.enum(['analyst', 'responder', 'contact', 'actor'])) }),
  reply: z.object({ channel: z.string(), userId: z.string(), responseUrl: z.string().optional() }),
});

export type HuntJob = z.infer<typeof HuntJobSchema>;

export const HUNT_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1_000 },
} as const;

export function createHuntQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(HUNTS_QUEUE, { connection, prefix });
}

export interface HuntWorkerDeps {
  response: ResponseDeps;
  hunts: HuntSet;
  lookup: LookupFn;
  geo?: GeoLookup;
  maxPages?: number;
  budgetMs?: number;
}

export async function processHuntJob(deps: HuntWorkerDeps, data: unknown): Promise<void> {
  const parsed = HuntJobSchema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`hunt job does not match its schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const job = parsed.data;
  const ctx = responseContext(deps.response);
  const hunt = deps.hunts.find(job.huntId);
  if (!hunt) {
    await ephemeral(ctx, job.reply, `No hunt \`${job.huntId.replace(/[^a-z0-9-]/g, '')}\`; \`/hunt\` lists them.`);
    await audit(ctx, job, 'failed', 'unknown hunt');
    return;
  }
  await runAndPost(ctx, deps, hunt, job);
}

async function runAndPost(ctx: ResponseContext, deps: HuntWorkerDeps, hunt: Hunt, job: HuntJob): Promise<void> {
  const slack = ctx.deps.slack;
  const label = `Hunt ${hunt.id} in ${job.accountId} (${job.regions.join(', ')})`;
  const progress = await slack.chat.postMessage({ channel: job.reply.channel, text: `🔎 ${label}: searching CloudTrail since ${job.since}…` });
  const thread = progress.ts;
  const edit = (text: string) => (thread ? slack.chat.update({ channel: job.reply.channel, ts: thread, text }).then(() => undefined) : Promise.resolve());

  let result: LiveHuntResult;
  try {
    result = await runLiveHunt(hunt, liveOptions(deps, job));
  } catch (err: unknown) {
    // Slack reads <…> as links and mentions; an AWS message must not become one.
    await edit(`⚠️ ${label}: failed (${errorMessage(err).replace(/[<>&]/g, '').slice(0, 200)})`);
    await audit(ctx, job, 'failed', errorMessage(err).slice(0, 300));
    return;
  }
  await edit(`✅ ${label}: ${result.groups.length} group(s)`);
  await postResult(ctx, hunt, job, result, thread);
  await audit(ctx, job, 'ok', outcome(result));
}

function liveOptions(deps: HuntWorkerDeps, job: HuntJob) {
  return {
    accountId: job.accountId,
    regions: job.regions,
    since: new Date(job.since),
    until: new Date(job.until),
    lookup: deps.lookup,
    ...(job.override ? { override: job.override } : {}),
    ...(deps.geo ? { geo: deps.geo } : {}),
    ...(deps.maxPages ? { maxPages: deps.maxPages } : {}),
    ...(deps.budgetMs ? { budgetMs: deps.budgetMs } : {}),
  };
}

async function postResult(ctx: ResponseContext, hunt: Hunt, job: HuntJob, result: LiveHuntResult, thread: string | undefined): Promise<void> {
  const slack = ctx.deps.slack;
  const lines = [...summaryLines(result), ...(result.groups.length > 0 ? hunt.spec.on_hit.map((step, i) => `Next ${i + 1}: ${step}`) : [])];
  const card = investigationCard(`${hunt.title} (${hunt.spec.technique})`, lines, 1);
  await slack.chat.postMessage({ channel: job.reply.channel, ...(thread ? { thread_ts: thread } : {}), ...card });
  const name = `hunt-${hunt.id}-${job.accountId}-${result.until.slice(0, 10)}.json`;
  const file = { channel_id: job.reply.channel, filename: name, title: name, content: JSON.stringify(result, null, 2) };
  await slack.filesUploadV2(thread ? { ...file, thread_ts: thread } : file);
}

function outcome(result: LiveHuntResult): string {
  const stopped = result.stoppedBy ? `, stopped by ${result.stoppedBy}` : '';
  return `${result.groups.length} group(s) from ${result.matched} match(es) in ${result.scanned} record(s), ${result.searches} search(es)${stopped}`;
}

async function audit(ctx: ResponseContext, job: HuntJob, result: 'ok' | 'failed', detail: string): Promise<void> {
  await ctx.record(job.actor, { action: 'hunt', target: `${job.huntId}@${job.accountId}`, result, detail, ...(job.tenantId ? { tenant: job.tenantId } : {}) });
}

export interface HuntWorkerOptions {
  connection: ConnectionOptions;
  concurrency?: number;
}

export function createHuntWorker(deps: HuntWorkerDeps, options: HuntWorkerOptions): Worker {
  const worker = new Worker(HUNTS_QUEUE, (job: Job) => processHuntJob(deps, job.data), {
    connection: options.connection,
    prefix: deps.response.prefix,
    // LookupEvents allows 2 calls a second per account and region: more hunts at once only queue on the limiter.
    concurrency: options.concurrency ?? 2,
  });
  worker.on('failed', (job, err) => deps.response.log.warn('hunt job failed', { [LogField.jobId]: job?.id, [LogField.error]: err }));
  worker.on('error', (err) => deps.response.log.error('hunts worker error', { [LogField.error]: err }));
  return worker;
}
