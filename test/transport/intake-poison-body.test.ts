import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import { readInput } from '../../src/intake/reader.js';
import { redisReady } from '../../src/queue/redis.js';
import { openRuntime, type Runtime } from '../../src/queue/runtime.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { createIntakeHandler } from '../../src/slack/intake-route.js';
import { listenIntake, type IntakeServer } from '../../src/sources/http-intake.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

/**
 * A poison body must never get the "Redis is away, try again" 503: an
 * EventBridge API destination would retry it for 24 hours and nothing would
 * be kept. A body the reader turns into rejected items is accepted (202) with
 * them dead-lettered; a body the reader itself fails on is a 400, also kept.
 */
const SECRET = 'breaker-intake-secret';
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function post(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'x-picket-secret': SECRET, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('intake answer for a body the reader cannot take', () => {
  let t: TestRedis;
  let runtime: Runtime;
  let server: IntakeServer;
  let throwing: IntakeServer;

  beforeAll(async () => {
    t = await openTestRedis('breaker');
    runtime = await openRuntime({ log: silentLogger, settings: { redisUrl: t.url, prefix: t.prefix, queueName: QUEUE_NAME } });
    const handler = createIntakeHandler({
      secret: SECRET, maxBodyBytes: 1_048_576, read: readInput, enqueuer: runtime.enqueuer,
      deadLetters: runtime.deadLetters, ready: () => redisReady(runtime.redis), log: silentLogger,
    });
    server = await listenIntake(handler, '/intake', { port: 0, host: '127.0.0.1' });
    const failing = createIntakeHandler({
      secret: SECRET, maxBodyBytes: 1_048_576, read: () => { throw new RangeError('Maximum call stack size exceeded'); },
      enqueuer: runtime.enqueuer, deadLetters: runtime.deadLetters, ready: () => redisReady(runtime.redis), log: silentLogger,
    });
    throwing = await listenIntake(failing, '/intake', { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server.close();
    await throwing.close();
    await runtime.close();
    await t.cleanup();
  });

  it('accepts a 10,000-deep finding as one rejected item, kept in the dead-letter store', async () => {
    const body = `{"Id":"p1","Type":"Recon:EC2/PortProbeUnprotectedPort","Service":${nested(10_000)}}`;
    const answer = await post(server.url, body);
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toMatchObject({ read: 1, enqueued: 0, rejected: 1 });
    const [entry] = await runtime.deadLetters.list();
    expect(entry?.reason).toBe('document nested deeper than 64 levels');
  });

  it('answers 400 and keeps the body when the reader itself fails', async () => {
    const before = await runtime.deadLetters.count();
    const answer = await post(throwing.url, '{"id":"x"}');
    expect(answer.status).toBe(400);
    expect(await runtime.deadLetters.count()).toBe(before + 1);
  });
});
