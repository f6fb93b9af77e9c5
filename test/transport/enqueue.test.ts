import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/core/log.js';
import { createDeadLetterStore } from '../../src/queue/dead-letter.js';
import { createEnqueuer, MAX_SEPARATE_DEAD_LETTERS, planJobs, type Enqueuer } from '../../src/queue/enqueue.js';
import { batchJobId, JOB_OPTIONS } from '../../src/queue/jobs.js';
import { checkEvictionPolicy } from '../../src/queue/redis.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { createStats } from '../../src/queue/stats.js';
import { captureLog, finding, ignored, logRecord, rejected, testJobId } from '../helpers/items.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

describe('enqueue', () => {
  let t: TestRedis;
  let queue: Queue;
  let enqueuer: Enqueuer;

  beforeEach(async () => {
    t = await openTestRedis('enqueue');
    queue = new Queue(QUEUE_NAME, { connection: t.redis.duplicate(), prefix: t.prefix });
    const deadLetters = createDeadLetterStore(t.redis, t.prefix);
    enqueuer = createEnqueuer({ queue, redis: t.redis, deadLetters, stats: createStats(t.redis, t.prefix), jobIdFor: testJobId, log: silentLogger });
  });
  afterEach(async () => {
    await queue.close();
    await t.cleanup();
  });

  it('makes one job per finding and ONE job for the records of a CloudTrail log file', async () => {
    const items = [finding('f1', '2024-05-01T10:00:00Z'), logRecord('e1', 'log.json.gz', 0), logRecord('e2', 'log.json.gz', 1), logRecord('e3', 'log.json.gz', 2)];
    const counts = await enqueuer.enqueue(items);

    expect(counts).toEqual({ read: 4, enqueued: 4, duplicate: 0, ignored: 0, rejected: 0, jobs: 2 });
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => j.name).sort()).toEqual(['cloudtrail-log', 'item']);
    const batch = jobs.find((j) => j.name === 'cloudtrail-log');
    expect(batch?.id).toBe(batchJobId(['cloudtrail-e1-1714557600000', 'cloudtrail-e2-1714557600000', 'cloudtrail-e3-1714557600000']));
    expect(batch?.data.items).toHaveLength(3);
    expect(batch?.opts.attempts).toBe(JOB_OPTIONS.attempts);
    expect(batch?.opts.backoff).toEqual({ type: 'exponential', delay: 2000 });
    expect(batch?.opts.removeOnComplete).toEqual({ age: 86400, count: 10000 });
  });

  it('counts a re-delivered finding as a duplicate and does not queue it twice', async () => {
    const item = finding('f1', '2024-05-01T10:00:00Z');
    await enqueuer.enqueue([item]);
    const again = await enqueuer.enqueue([item, finding('f1', '2024-05-02T10:00:00Z')]);

    expect(again).toEqual({ read: 2, enqueued: 1, duplicate: 1, ignored: 0, rejected: 0, jobs: 1 });
    expect((await queue.getJobs(['waiting'])).map((j) => j.id).sort()).toEqual([
      'guardduty-finding-f1-1714557600000',
      'guardduty-finding-f1-1714644000000',
    ]);
  });

  it('gives a finding whose job failed for good a fresh run', async () => {
    const item = finding('f9', '2024-05-01T10:00:00Z');
    await enqueuer.enqueue([item]);
    const job = await queue.getJob('guardduty-finding-f9-1714557600000');
    await t.redis.multi()
      .lrem(`${t.prefix}:${QUEUE_NAME}:wait`, 0, job?.id ?? '')
      .zadd(`${t.prefix}:${QUEUE_NAME}:failed`, Date.now(), job?.id ?? '')
      .exec();
    expect(await queue.getJobState(job?.id ?? '')).toBe('failed');

    const counts = await enqueuer.enqueue([item]);
    expect(counts.enqueued).toBe(1);
    expect(await queue.getJobState(job?.id ?? '')).toBe('waiting');
  });

  it('dead-letters rejected items with their reason and counts ignored ones', async () => {
    const counts = await enqueuer.enqueue([rejected('no finding id', { type: 'X' }, 'in.json', 2), ignored('empty result', 'in.json', 3)]);
    expect(counts).toEqual({ read: 2, enqueued: 0, duplicate: 0, ignored: 1, rejected: 1, jobs: 0 });

    const [entry] = await createDeadLetterStore(t.redis, t.prefix).list();
    expect(entry).toMatchObject({ reason: 'no finding id', stage: 'read', source: 'in.json', index: 2, wrapper: 'unknown' });
    expect((await createStats(t.redis, t.prefix).read()).outcomes).toEqual({ alert: 0, duet: 0, suppressed: 0, ignored: 1, rejected: 1 });
  });

  it('keeps an input with a flood of rejections as ONE dead letter holding the whole input', async () => {
    const junk = Array.from({ length: MAX_SEPARATE_DEAD_LETTERS + 1 }, (_, i) => rejected('expected a JSON object, got number', 0, 'flood.json', i));
    const raw = `[${new Array(MAX_SEPARATE_DEAD_LETTERS + 1).fill('0').join(',')}]`;
    const counts = await enqueuer.enqueue(junk, { raw });
    expect(counts.rejected).toBe(MAX_SEPARATE_DEAD_LETTERS + 1);

    const entries = await createDeadLetterStore(t.redis, t.prefix).list();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.reason).toBe(`${MAX_SEPARATE_DEAD_LETTERS + 1} items rejected in one input; the first: expected a JSON object, got number`);
  });

  it('dead-letters up to the threshold item by item', async () => {
    const few = Array.from({ length: MAX_SEPARATE_DEAD_LETTERS }, (_, i) => rejected('bad', 0, 'few.json', i));
    await enqueuer.enqueue(few, { raw: '[]' });
    expect(await createDeadLetterStore(t.redis, t.prefix).count()).toBe(MAX_SEPARATE_DEAD_LETTERS);
  });

  it('plans nothing for an input with no ok items', () => {
    expect(planJobs([ignored('x')], testJobId)).toEqual([]);
  });
});

describe('Redis eviction policy check', () => {
  it('accepts noeviction on the real Redis without an error line', async () => {
    const t = await openTestRedis('policy');
    const log = captureLog();
    expect(await checkEvictionPolicy(t.redis, createLogger({ write: log.write }))).toEqual({ policy: 'noeviction', ok: true });
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    await t.cleanup();
  });

  it('logs at error level when Redis may evict queued jobs', async () => {
    const log = captureLog();
    const lru = { config: async () => ['maxmemory-policy', 'allkeys-lru'] } as unknown as Parameters<typeof checkEvictionPolicy>[0];
    expect(await checkEvictionPolicy(lru, createLogger({ write: log.write }))).toEqual({ policy: 'allkeys-lru', ok: false });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: 'error', policy: 'allkeys-lru' });
    expect(String(log.lines[0]?.msg)).toContain('noeviction');
  });
});
