import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dlqCommand } from '../../src/cli/dlq.js';
import type { CommandIO } from '../../src/cli/io.js';
import { replayCommand } from '../../src/cli/replay.js';
import { createDeadLetterStore, type DeadLetterStore } from '../../src/queue/dead-letter.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { guardDutyEvent } from '../helpers/events.js';
import { deleteKeys, openTestRedis, type TestRedis } from '../helpers/redis.js';

function captureIO(): CommandIO & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => void outLines.push(l), err: (l) => void errLines.push(l) };
}

function cloudTrailLog(n: number): string {
  const records = Array.from({ length: n }, (_, i) => ({
    eventVersion: '1.08', eventID: `0000000${i}-aaaa-bbbb-cccc-dddddddddddd`, eventTime: '2024-05-01T10:00:00Z', eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging', awsRegion: 'us-east-1', recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', userName: 'mallory' },
  }));
  return JSON.stringify({ Records: records });
}

describe('replay and dlq commands', () => {
  let t: TestRedis;
  let queue: Queue;
  let store: DeadLetterStore;
  let dir: string;

  beforeAll(async () => {
    t = await openTestRedis('cli');
    process.env.REDIS_URL = t.url;
    process.env.PICKET_QUEUE_PREFIX = t.prefix;
    process.env.PICKET_LOG_LEVEL = 'error';
    queue = new Queue(QUEUE_NAME, { connection: t.redis.duplicate(), prefix: t.prefix });
    store = createDeadLetterStore(t.redis, t.prefix);
    dir = await mkdtemp(join(tmpdir(), 'picket-cli-'));
    await writeFile(join(dir, 'a-finding.json'), JSON.stringify(guardDutyEvent({ id: 'cli111' })));
    await writeFile(join(dir, 'b-trail.json.gz'), gzipSync(cloudTrailLog(3)));
    await writeFile(join(dir, 'c-broken.json'), '{"detail-type": ');
  });
  beforeEach(async () => {
    await deleteKeys(t.redis, t.prefix);
  });
  afterAll(async () => {
    await queue.close();
    await t.cleanup();
  });

  it('replay enqueues findings, a CloudTrail log file as one job, and dead-letters the broken file', async () => {
    const io = captureIO();
    expect(await replayCommand([dir], io)).toBe(0);
    expect(io.outLines).toEqual([
      'read 5, enqueued 4 (2 jobs), duplicate 0, ignored 0, rejected 1',
      `queued under Redis prefix '${t.prefix}': \`picket worker\` (or \`picket serve\`) with the same PICKET_QUEUE_PREFIX processes them`,
    ]);
    expect((await queue.getJobs(['waiting'])).map((j) => j.name).sort()).toEqual(['cloudtrail-log', 'item']);

    const again = captureIO();
    await replayCommand([dir], again);
    expect(again.outLines[0]).toBe('read 5, enqueued 0 (0 jobs), duplicate 4, ignored 0, rejected 1');
  });

  it('dlq list shows each entry; replay of a fixed entry queues it and removes the entry', async () => {
    const fixed = await store.add({ reason: 'rules failed', stage: 'triage', source: 'http', raw: guardDutyEvent({ id: 'dlq222' }) });
    const broken = await store.add({ reason: 'invalid JSON', stage: 'intake', source: 'http', raw: '{"nope' });

    const list = captureIO();
    expect(await dlqCommand(['list'], list)).toBe(0);
    expect(list.outLines).toHaveLength(3);
    expect(list.outLines[2]).toBe('2 of 2 dead letters');
    expect(list.outLines.some((l) => l.startsWith(fixed) && l.endsWith('http  rules failed'))).toBe(true);

    const replay = captureIO();
    expect(await dlqCommand(['replay', '--all'], replay)).toBe(1);
    expect(replay.outLines).toEqual([`${fixed}: replayed: enqueued 1, duplicate 0, ignored 0`]);
    expect(replay.errLines).toHaveLength(1);
    expect(replay.errLines[0]?.startsWith(`${broken}: still rejected: not JSON`)).toBe(true);
    expect((await store.list()).map((e) => e.id)).toEqual([broken]);
    expect((await queue.getJobs(['waiting'])).map((j) => j.data.item.doc.id)).toEqual(['dlq222']);
  });

  it('dlq show prints the stored entry; purge takes ids, and everything only with --all', async () => {
    const id = await store.add({ reason: 'x', stage: 'read', source: 'f.json', raw: { a: 1 } });
    const other = await store.add({ reason: 'y', stage: 'read', source: 'g.json', raw: { b: 2 } });
    const show = captureIO();
    expect(await dlqCommand(['show', id], show)).toBe(0);
    expect(JSON.parse(show.outLines.join('\n'))).toMatchObject({ id, reason: 'x', raw: '{"a":1}' });

    expect(await dlqCommand(['purge'], captureIO())).toBe(2);
    expect(await store.count()).toBe(2);

    const one = captureIO();
    expect(await dlqCommand(['purge', id], one)).toBe(0);
    expect(one.outLines).toEqual([`${id}: purged`]);
    expect((await store.list()).map((e) => e.id)).toEqual([other]);

    const all = captureIO();
    expect(await dlqCommand(['purge', '--all'], all)).toBe(0);
    expect(all.outLines).toEqual(['purged 1 dead letters']);
    expect(await store.count()).toBe(0);
  });

  it('says how to start Redis when it does not answer', async () => {
    const { closedPort } = await import('../helpers/redis.js');
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = `redis://127.0.0.1:${await closedPort()}`;
    const io = captureIO();
    expect(await dlqCommand(['list'], io)).toBe(1);
    process.env.REDIS_URL = saved;
    expect(io.errLines[0]).toMatch(/^Redis is not answering at redis:\/\/127\.0\.0\.1:\d+\.$/);
  });
});
