import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RetryLaterError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { ReadItem } from '../model/item.js';
import type { DeadLetterStore } from './dead-letter.js';
import { JOB_NAMES, JOB_OPTIONS, batchJobId, isLogRecord, type JobData, type OkItem } from './jobs.js';
import type { Stats } from './stats.js';

/**
 * The one way items enter the queue, shared by replay, the HTTPS intake, the
 * SQS consumer, the poller and dead-letter replay. When `enqueue` resolves,
 * every ok item is durably in Redis and every rejected one is dead-lettered.
 */

export interface EnqueueCounts {
  read: number;
  enqueued: number;
  duplicate: number;
  ignored: number;
  rejected: number;
  jobs: number;
}

export interface EnqueueOptions {
  /** The whole input, kept for a rejected item the reader could not cut out. */
  raw?: Buffer | string;
  /** Dead-letter replay keeps its entry instead of writing a second one. */
  deadLetter?: boolean;
  /** Dead-letter replay: a job that already completed runs again (it was dead-lettered inside the job). */
  rerun?: boolean;
}

export interface Enqueuer {
  enqueue(items: ReadItem[], options?: EnqueueOptions): Promise<EnqueueCounts>;
}

export interface EnqueuerDeps {
  queue: Queue;
  redis: Redis;
  deadLetters: DeadLetterStore;
  stats: Stats;
  jobIdFor: (item: OkItem) => string;
  log: Logger;
}

interface PlannedJob {
  id: string;
  name: string;
  data: JobData;
  items: number;
}

export function createEnqueuer(deps: EnqueuerDeps): Enqueuer {
  return {
    enqueue: async (items, options = {}) => {
      const counts: EnqueueCounts = { read: items.length, enqueued: 0, duplicate: 0, ignored: 0, rejected: 0, jobs: 0 };
      for (const job of planJobs(items, deps.jobIdFor)) {
        const added = await addOnce(deps, job, options.rerun === true);
        if (added) counts.jobs += 1;
        counts[added ? 'enqueued' : 'duplicate'] += job.items;
      }
      await settleUnqueued(deps, items, options, counts);
      return counts;
    },
  };
}

/** Records of one CloudTrail log file become one batch job; everything else one job each. */
export function planJobs(items: ReadItem[], jobIdFor: (item: OkItem) => string): PlannedJob[] {
  const single: PlannedJob[] = [];
  const logs = new Map<string, OkItem[]>();
  for (const item of items) {
    if (item.status !== 'ok') continue;
    if (!isLogRecord(item)) {
      single.push({ id: jobIdFor(item), name: JOB_NAMES.item, data: { kind: 'item', item }, items: 1 });
      continue;
    }
    const group = logs.get(item.origin.file) ?? [];
    group.push(item);
    logs.set(item.origin.file, group);
  }
  const batches = [...logs].map(([file, records]) => ({
    id: batchJobId(records.map(jobIdFor)),
    name: JOB_NAMES.batch,
    data: { kind: 'batch' as const, file, items: records },
    items: records.length,
  }));
  return [...single, ...batches];
}

/**
 * BullMQ ignores an add whose id exists; we look first only to count it as a
 * duplicate. A job that already failed for good is removed so that a
 * re-delivery (or a dead-letter replay) gets a fresh run.
 */
async function addOnce(deps: EnqueuerDeps, job: PlannedJob, rerun: boolean): Promise<boolean> {
  const state = await deps.queue.getJobState(job.id);
  if (state === 'failed' || (rerun && state === 'completed')) await deps.queue.remove(job.id);
  else if (state !== 'unknown') return false;

  await deps.queue.add(job.name, job.data, { ...JOB_OPTIONS, jobId: job.id });
  return true;
}

/**
 * Past this many rejections in one input, the input is dead-lettered once,
 * whole, instead of item by item: a body of 100,000 junk values must not turn
 * into 100,000 Redis writes while the sender waits (and then retries).
 */
export const MAX_SEPARATE_DEAD_LETTERS = 100;

async function settleUnqueued(deps: EnqueuerDeps, items: ReadItem[], options: EnqueueOptions, counts: EnqueueCounts): Promise<void> {
  const rejected = items.filter((item) => item.status === 'rejected');
  for (const item of items) if (item.status !== 'ok') counts[item.status] += 1;

  if (options.deadLetter !== false) await deadLetterRejected(deps, rejected, options.raw);
  await deps.stats.outcome('ignored', counts.ignored);
  if (options.deadLetter !== false) await deps.stats.outcome('rejected', counts.rejected);
}

async function deadLetterRejected(deps: EnqueuerDeps, rejected: ReadItem[], raw: Buffer | string | undefined): Promise<void> {
  const first = rejected[0];
  if (first && first.status === 'rejected' && rejected.length > MAX_SEPARATE_DEAD_LETTERS && raw !== undefined) {
    const reason = `${rejected.length} items rejected in one input; the first: ${first.reason}`;
    await deps.deadLetters.add({ reason, stage: 'read', source: first.origin.file, wrapper: first.origin.wrapper, raw });
    return;
  }
  for (const item of rejected) {
    if (item.status !== 'rejected') continue;
    const { file, index, wrapper } = item.origin;
    await deps.deadLetters.add({ reason: item.reason, stage: 'read', source: file, index, wrapper, raw: item.doc ?? raw });
  }
}

/**
 * BullMQ waits for a lost Redis connection to come back instead of failing.
 * A caller that must answer (HTTP 503, leave an SQS message, keep a poll
 * cursor) races the write against this; the write may still land later,
 * which is harmless because job ids de-duplicate.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RetryLaterError(`queue write took over ${ms} ms`, { code: 'REDIS_UNAVAILABLE' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
