import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import { readInput } from '../../src/intake/reader.js';
import { startPipeline, type Pipeline } from '../../src/queue/pipeline.js';
import { redisReady } from '../../src/queue/redis.js';
import { openRuntime, type Runtime } from '../../src/queue/runtime.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { createSlackApp, type BoltApp } from '../../src/slack/app.js';
import { createIntakeHandler } from '../../src/slack/intake-route.js';
import { guardDutyEvent } from '../helpers/events.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { STAND_IN_TOKEN, startSlackStandIn, type SlackStandIn } from '../helpers/slack-stand-in.js';

const CONFIG = loadConfig(new URL('../fixtures/transport/picket.yml', import.meta.url).pathname);
const SECRET = 'e2e-intake-secret';

function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, number> }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('HTTPS intake → queue → worker → Slack (Bolt app, stand-in Slack)', () => {
  let t: TestRedis;
  let slack: SlackStandIn;
  let runtime: Runtime;
  let pipeline: Pipeline;
  let app: BoltApp;
  let url: string;

  const settled = async (count: number) => {
    for (let i = 0; i < 400; i += 1) {
      const counts = await runtime.queue.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) >= count) return counts;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`jobs did not settle: ${JSON.stringify(await runtime.queue.getJobCounts())}`);
  };

  beforeAll(async () => {
    t = await openTestRedis('e2e');
    slack = await startSlackStandIn();
    runtime = await openRuntime({ log: silentLogger, settings: { redisUrl: t.url, prefix: t.prefix, queueName: QUEUE_NAME } });
    const handler = createIntakeHandler({
      secret: SECRET, maxBodyBytes: CONFIG.intake.max_body_bytes, read: readInput, enqueuer: runtime.enqueuer,
      deadLetters: runtime.deadLetters, ready: () => redisReady(runtime.redis), log: silentLogger,
    });
    const secrets = { slackBotToken: STAND_IN_TOKEN, slackSigningSecret: 'signing-secret', redisUrl: t.url };
    app = createSlackApp({ secrets, log: silentLogger, slackApiUrl: slack.apiUrl, intake: { path: CONFIG.intake.path, handler } });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CONFIG.intake.path}`;
    pipeline = await startPipeline({ runtime, config: CONFIG, secrets, log: silentLogger, write: () => undefined, client: app.client });
  });

  afterAll(async () => {
    await pipeline.close();
    await app.stop();
    await runtime.close();
    await slack.close();
    await t.cleanup();
  });

  it('posts one card for a new finding', async () => {
    const reply = await post(url, guardDutyEvent({ count: 3 }));
    expect(reply).toEqual({ status: 202, body: { read: 1, enqueued: 1, duplicate: 0, ignored: 0, rejected: 0, jobs: 1 } });
    await settled(1);

    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe('C0TESTSOC');
    expect(posts[0]?.token).toBe(STAND_IN_TOKEN);
    expect(String(posts[0]?.args.text)).toContain('SSH brute force attacks against i-0a1b2c3d4e5f60718.');
  });

  it('the same finding delivered again is a duplicate and posts nothing', async () => {
    const reply = await post(url, guardDutyEvent({ count: 3 }));
    expect(reply.body).toMatchObject({ read: 1, enqueued: 0, duplicate: 1 });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('an update with a higher count edits the card and adds one thread note', async () => {
    const reply = await post(url, guardDutyEvent({ count: 9, updatedAt: '2024-05-01T12:40:00.000Z' }));
    expect(reply.body).toMatchObject({ enqueued: 1 });
    await settled(2);

    const firstTs = '1700000000.000001';
    expect(slack.calls.map((c) => c.method).filter((m) => m !== 'auth.test')).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    expect(slack.callsTo('chat.update')[0]?.args).toMatchObject({ channel: 'C0TESTSOC', ts: firstTs });
    expect(slack.callsTo('chat.postMessage')[1]?.args).toMatchObject({ channel: 'C0TESTSOC', thread_ts: firstTs });
    expect((await runtime.stats.read()).deliveries).toEqual({ posted: 1, updated: 1, unchanged: 0, none: 0 });
    expect((await runtime.stats.read()).outcomes.alert).toBe(2);
  });
});
