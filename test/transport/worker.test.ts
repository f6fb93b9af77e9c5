import { Queue, type Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, RetryLaterError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { ReadItem } from '../../src/model/item.js';
import type { Triaged } from '../../src/pipeline/triage.js';
import { createDeadLetterStore, type DeadLetterStore } from '../../src/queue/dead-letter.js';
import { JOB_OPTIONS } from '../../src/queue/jobs.js';
import { workerConnection } from '../../src/queue/redis.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { drainOnSignals } from '../../src/queue/shutdown.js';
import { createStats, type Stats } from '../../src/queue/stats.js';
import { processJob, startWorker, type ProcessDeps } from '../../src/queue/worker.js';
import type { Delivery } from '../../src/slack/delivery.js';
import type { DeliveryAction } from '../../src/queue/stats.js';
import { alert, finding, logRecord } from '../helpers/items.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

/** Triage stand-in: findings whose id starts with 'bad' are rejected, 'quiet' suppressed, others alert. */
function fakeTriage(item: ReadItem): Triaged {
  if (item.status !== 'ok') return { origin: item.origin, outcome: item.status, reason: item.reason };
  const id = String(item.doc.id ?? item.doc.eventID);
  if (id.startsWith('bad')) return { origin: item.origin, outcome: 'rejected', reason: `cannot normalize ${id}` };
  if (id.startsWith('quiet')) return { origin: item.origin, outcome: 'suppressed', reason: 'rule says so' };
  return { ...alert(id, 1, '2024-05-01T10:00:00Z'), origin: item.origin };
}

function job(data: unknown, progress: unknown = 0) {
  const updates: number[] = [];
  return { id: 'j1', data, progress, updates, updateProgress: async (p: number) => void updates.push(p) };
}

describe('processJob', () => {
  let t: TestRedis;
  let deadLetters: DeadLetterStore;
  let stats: Stats;
  let delivered: string[];
  let deps: ProcessDeps;

  const delivery = (fail?: (key: string) => Error | undefined): Delivery => ({
    deliver: async (triaged): Promise<DeliveryAction> => {
      const error = fail?.(triaged.cardKey ?? '');
      if (error) throw error;
      if (!triaged.card) return 'none';
      delivered.push(triaged.cardKey ?? '');
      return 'posted';
    },
  });

  beforeEach(async () => {
    t = await openTestRedis('worker');
    deadLetters = createDeadLetterStore(t.redis, t.prefix);
    stats = createStats(t.redis, t.prefix);
    delivered = [];
    deps = { triage: fakeTriage, delivery: delivery(), deadLetters, stats, log: silentLogger };
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('gives every item of a batch exactly one outcome and records progress', async () => {
    const items = [logRecord('e1', 'log', 0), logRecord('bad-e2', 'log', 1), logRecord('quiet-e3', 'log', 2), logRecord('e4', 'log', 3)];
    const j = job({ kind: 'batch', file: 'log', items });
    expect(await processJob(j, deps)).toEqual({ items: 4, outcomes: { alert: 2, rejected: 1, suppressed: 1 } });
    expect(j.updates).toEqual([1, 2, 3, 4]);
    expect(delivered).toEqual(['gd:111122223333:e1', 'gd:111122223333:e4']);
    expect((await stats.read()).outcomes).toEqual({ alert: 2, duet: 0, suppressed: 1, ignored: 0, rejected: 1 });
    expect((await deadLetters.list()).map((e) => [e.stage, e.reason, e.index])).toEqual([['triage', 'cannot normalize bad-e2', 1]]);
  });

  it('resumes a retried batch after the items an earlier attempt finished', async () => {
    const items = [logRecord('e1', 'log', 0), logRecord('e2', 'log', 1), logRecord('e3', 'log', 2)];
    await processJob(job({ kind: 'batch', file: 'log', items }, 2), deps);
    expect(delivered).toEqual(['gd:111122223333:e3']);
  });

  it('lets a transient delivery failure fail the job so BullMQ retries it', async () => {
    deps.delivery = delivery(() => new RetryLaterError('Slack down'));
    await expect(processJob(job({ kind: 'item', item: finding('f1', '2024-05-01T10:00:00Z') }), deps)).rejects.toBeInstanceOf(RetryLaterError);
    expect((await stats.read()).outcomes.alert).toBe(0);
    expect(await deadLetters.count()).toBe(0);
  });

  it('dead-letters an item delivery calls bad input, unrecoverably', async () => {
    deps.delivery = delivery(() => new InputError('Slack refused the card (invalid_blocks)'));
    const err = await processJob(job({ kind: 'item', item: finding('f1', '2024-05-01T10:00:00Z') }), deps).catch((e: unknown) => e);
    expect((err as Error).name).toBe('UnrecoverableError');
    expect((await deadLetters.list()).map((e) => [e.stage, e.reason, e.jobId])).toEqual([['job', 'Slack refused the card (invalid_blocks)', 'j1']]);
    expect((await stats.read()).outcomes.rejected).toBe(1);
  });

  it('dead-letters job data that does not match the schema', async () => {
    const err = await processJob(job({ kind: 'item', item: { status: 'ok' } }), deps).catch((e: unknown) => e);
    expect((err as Error).name).toBe('UnrecoverableError');
    expect((await deadLetters.list())[0]).toMatchObject({ stage: 'job', source: 'queue', jobId: 'j1' });
  });
});

describe('BullMQ worker', () => {
  let t: TestRedis;
  let queue: Queue;
  let worker: Worker | undefined;

  beforeEach(async () => {
    t = await openTestRedis('drain');
    queue = new Queue(QUEUE_NAME, { connection: t.redis.duplicate(), prefix: t.prefix });
  });
  afterEach(async () => {
    await worker?.close(true);
    await queue.close();
    await t.cleanup();
  });

  it('on SIGTERM stops taking jobs but lets the active one finish', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const active = new Promise<void>((resolve) => (started = resolve));
    const finished: string[] = [];
    const delivery: Delivery = {
      deliver: async (triaged) => {
        started();
        await gate;
        finished.push(triaged.cardKey ?? '');
        return 'posted';
      },
    };
    const deps: ProcessDeps = { triage: fakeTriage, delivery, deadLetters: createDeadLetterStore(t.redis, t.prefix), stats: createStats(t.redis, t.prefix), log: silentLogger };
    const connection = workerConnection(t.url);
    worker = startWorker({ connection, prefix: t.prefix, queueName: QUEUE_NAME, concurrency: 1 }, deps);
    await queue.add('item', { kind: 'item', item: finding('slow', '2024-05-01T10:00:00Z') }, { ...JOB_OPTIONS, jobId: 'slow' });
    await queue.add('item', { kind: 'item', item: finding('next', '2024-05-01T10:00:00Z') }, { ...JOB_OPTIONS, jobId: 'next' });
    await active;

    const closed: string[] = [];
    const w = worker;
    const shutdown = drainOnSignals([async () => { await w.close(); closed.push('worker'); }, async () => { connection.disconnect(); closed.push('redis'); }], silentLogger);
    process.emit('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toEqual([]);

    release();
    await shutdown.done;
    shutdown.dispose();
    expect(closed).toEqual(['worker', 'redis']);
    expect(finished).toEqual(['gd:111122223333:slow']);
    expect(await queue.getJobState('slow')).toBe('completed');
    expect(await queue.getJobState('next')).toBe('waiting');
  });

  it('dead-letters the items of a job whose retries ran out, instead of dropping them', async () => {
    const deadLetters = createDeadLetterStore(t.redis, t.prefix);
    const delivery: Delivery = { deliver: async () => { throw new RetryLaterError('Slack unreachable'); } };
    const deps: ProcessDeps = { triage: fakeTriage, delivery, deadLetters, stats: createStats(t.redis, t.prefix), log: silentLogger };
    const connection = workerConnection(t.url);
    worker = startWorker({ connection, prefix: t.prefix, queueName: QUEUE_NAME, concurrency: 1 }, deps);
    const failed = new Promise<void>((resolve) => worker?.on('failed', () => resolve()));
    await queue.add('item', { kind: 'item', item: finding('doomed', '2024-05-01T10:00:00Z') }, { ...JOB_OPTIONS, attempts: 1, jobId: 'doomed' });
    await failed;

    const stats = createStats(t.redis, t.prefix);
    for (let i = 0; i < 100 && (await stats.read()).outcomes.rejected === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await stats.read()).outcomes.rejected).toBe(1);
    const entries = await deadLetters.list();
    expect(entries.map((e) => [e.stage, e.reason, e.jobId])).toEqual([['job', 'retries exhausted: Slack unreachable', 'doomed']]);
    await worker.close();
    connection.disconnect();
  });
});
