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
 * A body the reader cannot handle for a deterministic reason (here a
 * PascalCase finding nested 10,000 deep, which overflows camelizeKeys) is
 * answered 503 + Retry-After, the "Redis is away, try again" answer. An
 * EventBridge API destination then retries the same poison body for up to
 * 24 hours, and nothing is dead-lettered. Redis is up the whole time: the
 * answer should be a 4xx, with the body kept in the dead-letter store.
 */
const SECRET = 'breaker-intake-secret';
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'x-picket-secret': SECRET, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('intake answer for a body the reader cannot take', () => {
  let t: TestRedis;
  let runtime: Runtime;
  let server: IntakeServer;

  beforeAll(async () => {
    t = await openTestRedis('breaker');
    runtime = await openRuntime({ log: silentLogger, settings: { redisUrl: t.url, prefix: t.prefix, queueName: QUEUE_NAME } });
    const handler = createIntakeHandler({
      secret: SECRET, maxBodyBytes: 1_048_576, read: readInput, enqueuer: runtime.enqueuer,
      deadLetters: runtime.deadLetters, ready: () => redisReady(runtime.redis), log: silentLogger,
    });
    server = await listenIntake(handler, '/intake', { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server.close();
    await runtime.close();
    await t.cleanup();
  });

  it('is a 400 with a dead letter, not a 503 that EventBridge retries forever', async () => {
    const body = `{"Id":"p1","Type":"Recon:EC2/PortProbeUnprotectedPort","Service":${nested(10_000)}}`;
    expect(await post(server.url, body)).toBe(400);
    expect(await runtime.deadLetters.count()).toBe(1);
  });
});
