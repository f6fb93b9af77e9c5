import { request } from 'node:http';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { ReadItem } from '../../src/model/item.js';
import { createDeadLetterStore } from '../../src/queue/dead-letter.js';
import { createEnqueuer } from '../../src/queue/enqueue.js';
import { producerConnection, redisReady } from '../../src/queue/redis.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { createStats } from '../../src/queue/stats.js';
import { createIntakeHandler, type IntakeOptions } from '../../src/slack/intake-route.js';
import { listenIntake, type IntakeServer } from '../../src/sources/http-intake.js';
import { finding, testJobId } from '../helpers/items.js';
import { closedPort, openTestRedis, type TestRedis } from '../helpers/redis.js';

const SECRET = 's3cret-for-tests';

/** A reader stand-in: a JSON object with `id` is a finding, anything else is rejected. */
function fakeRead(data: Buffer, file: string): ReadItem[] {
  const value = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  const list = Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [value];
  return list.map((doc, index) =>
    typeof doc.id === 'string'
      ? { ...finding(doc.id, String(doc.updatedAt)), origin: { file, index, wrapper: 'finding' } }
      : { status: 'rejected', origin: { file, index, wrapper: 'unknown' }, reason: 'no finding id', doc },
  );
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTPS intake', () => {
  let t: TestRedis;
  let queue: Queue;
  let server: IntakeServer;

  const start = async (overrides: Partial<IntakeOptions> = {}, redis = t.redis) => {
    queue = new Queue(QUEUE_NAME, { connection: redis, prefix: t.prefix });
    queue.on('error', () => undefined);
    const deadLetters = createDeadLetterStore(redis, t.prefix);
    const enqueuer = createEnqueuer({ queue, redis, deadLetters, stats: createStats(redis, t.prefix), jobIdFor: testJobId, log: silentLogger });
    const handler = createIntakeHandler({
      secret: SECRET, maxBodyBytes: 2048, read: fakeRead, enqueuer, deadLetters, ready: () => redisReady(redis), log: silentLogger, ...overrides,
    });
    server = await listenIntake(handler, '/intake/eventbridge', { port: 0, host: '127.0.0.1' });
  };

  beforeEach(async () => {
    t = await openTestRedis('intake');
    await t.redis.ping();
  });
  afterEach(async () => {
    await server?.close();
    await queue?.close();
    await t.cleanup();
  });

  it('answers 202 with counts once the job is in Redis', async () => {
    await start();
    const reply = await post(server.url, JSON.stringify({ id: 'f1', updatedAt: '2024-05-01T10:00:00Z' }), { 'x-picket-secret': SECRET });
    expect(reply.status).toBe(202);
    expect(JSON.parse(reply.body)).toEqual({ read: 1, enqueued: 1, duplicate: 0, ignored: 0, rejected: 0, jobs: 1 });
    expect(await queue.getJobState('guardduty-finding-f1-1714557600000')).toBe('waiting');
  });

  it('accepts the EventBridge API destination style Bearer secret', async () => {
    await start();
    const reply = await post(server.url, JSON.stringify({ id: 'f2', updatedAt: '2024-05-01T10:00:00Z' }), { authorization: `Bearer ${SECRET}` });
    expect(reply.status).toBe(202);
  });

  it('answers 401 to a missing or wrong secret and queues nothing', async () => {
    await start();
    const body = JSON.stringify({ id: 'f3', updatedAt: '2024-05-01T10:00:00Z' });
    expect((await post(server.url, body, {})).status).toBe(401);
    expect((await post(server.url, body, { 'x-picket-secret': `${SECRET}x` })).status).toBe(401);
    expect((await post(server.url, body, { authorization: 'Bearer s3cret' })).status).toBe(401);
    expect(await queue.count()).toBe(0);
  });

  it('answers 413 to a body over the limit, declared or streamed', async () => {
    await start();
    const big = JSON.stringify({ id: 'f4', pad: 'x'.repeat(4096) });
    const declared = await post(server.url, big, { 'x-picket-secret': SECRET, 'content-length': String(Buffer.byteLength(big)) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({ error: 'body too large', limit: 2048 });
    const streamed = await post(server.url, big, { 'x-picket-secret': SECRET, 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    expect(await queue.count()).toBe(0);
  });

  it('answers 400 to bad JSON and keeps the body in the dead-letter store', async () => {
    await start();
    const reply = await post(server.url, '{"id": "f5",', { 'x-picket-secret': SECRET });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'invalid JSON' });

    const [entry] = await createDeadLetterStore(t.redis, t.prefix).list();
    expect(entry).toMatchObject({ stage: 'intake', source: 'http', truncated: false });
    expect(entry?.reason.startsWith('invalid JSON:')).toBe(true);
    expect((await createDeadLetterStore(t.redis, t.prefix).get(entry?.id ?? ''))?.raw).toBe('{"id": "f5",');
  });

  it('dead-letters an item the reader rejects and still queues the good one', async () => {
    await start();
    const body = JSON.stringify([{ id: 'f6', updatedAt: '2024-05-01T10:00:00Z' }, { type: 'no id' }]);
    const reply = await post(server.url, body, { 'x-picket-secret': SECRET });
    expect(reply.status).toBe(202);
    expect(JSON.parse(reply.body)).toMatchObject({ read: 2, enqueued: 1, rejected: 1 });
    expect((await createDeadLetterStore(t.redis, t.prefix).list()).map((e) => e.reason)).toEqual(['no finding id']);
  });

  it('answers 503 with Retry-After while Redis does not answer', async () => {
    const down = producerConnection(`redis://127.0.0.1:${await closedPort()}`);
    down.on('error', () => undefined);
    await start({}, down);
    const reply = await post(server.url, JSON.stringify({ id: 'f7', updatedAt: '2024-05-01T10:00:00Z' }), { 'x-picket-secret': SECRET });
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('30');
    down.disconnect();
  });

  it('answers 503 when Redis fails while the jobs are being written', async () => {
    const down = producerConnection(`redis://127.0.0.1:${await closedPort()}`);
    down.on('error', () => undefined);
    await start({ ready: () => true, writeTimeoutMs: 300 }, down);
    const reply = await post(server.url, JSON.stringify({ id: 'f8', updatedAt: '2024-05-01T10:00:00Z' }), { 'x-picket-secret': SECRET });
    expect(reply.status).toBe(503);
    down.disconnect();
  });

  it('refuses to start without a shared secret', async () => {
    await start();
    expect(() => createIntakeHandler({ secret: undefined, maxBodyBytes: 1024, read: fakeRead, enqueuer: { enqueue: async () => { throw new Error('unused'); } },
      deadLetters: createDeadLetterStore(t.redis, t.prefix), ready: () => true, log: silentLogger })).toThrow(ConfigError);
  });
});

describe('intake listener limits', () => {
  it('bounds how long a sender may trickle a request and how many connections it holds', async () => {
    const { listenIntake, MAX_CONNECTIONS } = await import('../../src/sources/http-intake.js');
    const server = await listenIntake((_req, res) => res.end(), '/intake', { port: 0, host: '127.0.0.1' });
    try {
      expect([server.server.requestTimeout, server.server.headersTimeout, server.server.maxConnections]).toEqual([30_000, 10_000, MAX_CONNECTIONS]);
    } finally {
      await server.close();
    }
  });
});

describe('GET /healthz', () => {
  async function get(url: string): Promise<{ status: number; body: string }> {
    const res = await fetch(url);
    return { status: res.status, body: await res.text() };
  }

  it('answers 200 while Redis answers and 503 when it does not, with nothing else in the body', async () => {
    const { listenIntake } = await import('../../src/sources/http-intake.js');
    const { createHealthHandler } = await import('../../src/slack/health.js');
    let up = true;
    const server = await listenIntake((_req, res) => res.end(), '/intake', { port: 0, host: '127.0.0.1' }, createHealthHandler(() => up));
    const health = server.url.replace('/intake', '/healthz');
    try {
      expect(await get(health)).toEqual({ status: 200, body: '{"status":"ok","redis":"up"}' });
      up = false;
      expect(await get(health)).toEqual({ status: 503, body: '{"status":"degraded","redis":"down"}' });
    } finally {
      await server.close();
    }
  });
});
