import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { InputError, errorMessage } from '../core/errors.js';
import { LogField, type Logger } from '../core/log.js';
import type { ReadItem } from '../model/item.js';
import type { Triaged } from '../pipeline/triage.js';
import type { Delivery } from '../slack/delivery.js';
import type { DeadLetterStore } from './dead-letter.js';
import { JobDataSchema, JOB_OPTIONS, type OkItem } from './jobs.js';
import type { DeliveryAction, Stats } from './stats.js';

/**
 * The processor stays thin: parse the job, triage each item (a pure
 * function), hand the result to delivery, count the outcome. Items before
 * `job.progress` in a batch were finished by an earlier attempt.
 */

export interface ProcessDeps {
  triage: (item: ReadItem) => Triaged;
  /** Stateful steps between triage and delivery (dedup folding); identity when absent. */
  refine?: (triaged: Triaged) => Promise<Triaged>;
  /** Runs after delivery, never failing the job (enrichment, the similar-alert index). */
  after?: (triaged: Triaged, action: DeliveryAction) => Promise<void>;
  delivery: Delivery;
  deadLetters: DeadLetterStore;
  stats: Stats;
  log: Logger;
}

export interface JobLike {
  id?: string;
  data: unknown;
  progress: unknown;
  updateProgress(progress: number): Promise<void>;
}

export interface JobResult {
  items: number;
  outcomes: Record<string, number>;
}

export async function processJob(job: JobLike, deps: ProcessDeps): Promise<JobResult> {
  const parsed = JobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    const reason = `job data does not match the job schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    await deps.deadLetters.add({ reason, stage: 'job', source: 'queue', jobId: job.id, raw: job.data });
    await deps.stats.outcome('rejected');
    throw new UnrecoverableError(reason);
  }

  const data = parsed.data;
  const items = data.kind === 'item' ? [data.item] : data.items;
  const start = typeof job.progress === 'number' ? job.progress : 0;
  const result: JobResult = { items: items.length, outcomes: {} };
  for (let i = start; i < items.length; i += 1) {
    const item = items[i] as OkItem;
    const outcome = await processItem(item, job.id, deps, data.kind === 'item');
    result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
    if (data.kind === 'batch') await job.updateProgress(i + 1);
  }
  return result;
}

async function processItem(item: OkItem, jobId: string | undefined, deps: ProcessDeps, single: boolean): Promise<string> {
  const first = triageSafely(item, deps);
  if (first.outcome === 'rejected') {
    await rejectItem(item, jobId, 'triage', first.reason ?? 'rejected by triage', deps);
    return 'rejected';
  }
  const triaged = deps.refine ? await deps.refine(first) : first;
  await countRules(triaged, deps.stats);
  try {
    const action = await deps.delivery.deliver(triaged);
    await deps.stats.delivery(action);
    await runAfter(triaged, action, deps);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    await rejectItem(item, jobId, 'job', errorMessage(err), deps);
    if (single) throw new UnrecoverableError(errorMessage(err));
    return 'rejected';
  }
  await deps.stats.outcome(triaged.outcome);
  const route = triaged.decision?.hits[0]?.route;
  if (route) await deps.stats.route(route);
  return triaged.outcome;
}

async function countRules(triaged: Triaged, stats: Stats): Promise<void> {
  const decision = triaged.decision;
  if (!decision) return;
  for (const id of decision.dryRun) await stats.rule('dry-run', id);
  for (const id of decision.suppressedBy) await stats.rule('suppressed', id);
  const lead = decision.hits[0];
  if (lead && decision.outcome !== 'suppressed') await stats.rule('hit', lead.ruleId);
}

/** What follows delivery improves the card; its failure must not redeliver it. */
async function runAfter(triaged: Triaged, action: DeliveryAction, deps: ProcessDeps): Promise<void> {
  if (!deps.after) return;
  try {
    await deps.after(triaged, action);
  } catch (err) {
    deps.log.warn('post-delivery step failed; the card stands as posted', { [LogField.error]: err });
  }
}

function triageSafely(item: OkItem, deps: ProcessDeps): Triaged {
  try {
    return deps.triage(item);
  } catch (err) {
    deps.log.error('triage threw; the item is dead-lettered', { [LogField.error]: err });
    return { origin: item.origin, outcome: 'rejected', reason: `triage failed: ${errorMessage(err)}` };
  }
}

async function rejectItem(item: OkItem, jobId: string | undefined, stage: 'triage' | 'job', reason: string, deps: ProcessDeps): Promise<void> {
  const { file, index, wrapper } = item.origin;
  await deps.deadLetters.add({ reason, stage, source: file, index, wrapper, jobId, raw: item.doc });
  await deps.stats.outcome('rejected');
}

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  queueName: string;
  concurrency?: number;
}

/** A BullMQ worker around `processJob`; a job that exhausts its retries is dead-lettered, not dropped. */
export function startWorker(options: WorkerOptions, deps: ProcessDeps): Worker {
  const worker = new Worker(options.queueName, (job: Job) => processJob(job, deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('failed', (job, err) => void onFailed(job, err, deps));
  worker.on('error', (err) => deps.log.error('worker error', { [LogField.error]: err }));
  return worker;
}

async function onFailed(job: Job | undefined, err: Error, deps: ProcessDeps): Promise<void> {
  if (!job || err instanceof UnrecoverableError || err.name === 'UnrecoverableError') return;
  const attempts = job.opts.attempts ?? JOB_OPTIONS.attempts;
  deps.log.warn('job failed', { [LogField.jobId]: job.id, attempt: job.attemptsMade, attempts, [LogField.error]: err });
  if (job.attemptsMade < attempts) return;

  const parsed = JobDataSchema.safeParse(job.data);
  const items = !parsed.success ? [] : parsed.data.kind === 'item' ? [parsed.data.item] : parsed.data.items;
  const done = typeof job.progress === 'number' ? job.progress : 0;
  for (const item of items.slice(done)) {
    await rejectItem(item, job.id, 'job', `retries exhausted: ${err.message}`, deps).catch((e: unknown) =>
      deps.log.error('cannot dead-letter a failed job', { [LogField.jobId]: job.id, [LogField.error]: e }),
    );
  }
}
