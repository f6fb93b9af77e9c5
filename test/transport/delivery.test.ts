import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, RetryLaterError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/log.js';
import { slackClientOptions } from '../../src/slack/app.js';
import { createDelivery, type Delivery } from '../../src/slack/delivery.js';
import { createChannelLimiter } from '../../src/slack/rate-limit.js';
import { createSlackSink } from '../../src/slack/slack-sink.js';
import { alert, captureLog } from '../helpers/items.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { STAND_IN_TOKEN, startSlackStandIn, type SlackStandIn } from '../helpers/slack-stand-in.js';

const note = (prev: { count: number }, next: { count: number }) => `seen again: ${prev.count} → ${next.count}`;

describe('Slack delivery', () => {
  let t: TestRedis;
  let slack: SlackStandIn;
  let sleeps: number[];
  let logLines: ReturnType<typeof captureLog>;

  const makeDelivery = (token = STAND_IN_TOKEN): Delivery => {
    const sleep = async (ms: number) => void sleeps.push(ms);
    const log = createLogger({ write: logLines.write });
    const client = new WebClient(token, slackClientOptions(slack.apiUrl));
    const limiter = createChannelLimiter(t.redis, t.prefix, { intervalMs: 0, sleep });
    return createDelivery({ redis: t.redis, prefix: t.prefix, sink: createSlackSink({ client, limiter, log }), updateNote: note, log });
  };

  beforeEach(async () => {
    t = await openTestRedis('delivery');
    slack = await startSlackStandIn();
    sleeps = [];
    logLines = captureLog();
  });
  afterEach(async () => {
    await slack.close();
    await t.cleanup();
  });

  it('posts a card once; the same finding again changes nothing', async () => {
    const delivery = makeDelivery();
    expect(await delivery.deliver(alert('f1', 1, '2024-05-01T10:00:00Z'))).toBe('posted');
    expect(await delivery.deliver(alert('f1', 1, '2024-05-01T10:00:00Z'))).toBe('unchanged');

    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(slack.calls[0]?.args).toMatchObject({ channel: 'C0SOCALERTS', text: 'Finding f1 seen 1×' });
    expect(slack.calls[0]?.token).toBe(STAND_IN_TOKEN);
  });

  it('updates the message in place and notes it in the thread when the count rises', async () => {
    const delivery = makeDelivery();
    await delivery.deliver(alert('f1', 1, '2024-05-01T10:00:00Z'));
    expect(await delivery.deliver(alert('f1', 4, '2024-05-01T12:00:00Z'))).toBe('updated');
    expect(await delivery.deliver(alert('f1', 2, '2024-05-01T11:00:00Z'))).toBe('unchanged');

    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    const ts = '1700000000.000001';
    expect(slack.calls[1]?.args).toMatchObject({ channel: 'C0SOCALERTS', ts, text: 'Finding f1 seen 4×' });
    expect(slack.calls[2]?.args).toMatchObject({ channel: 'C0SOCALERTS', thread_ts: ts, text: 'seen again: 1 → 4' });
  });

  it('two workers delivering the same new finding post one card', async () => {
    const [a, b] = [makeDelivery(), makeDelivery()];
    const results = await Promise.all([a.deliver(alert('f2', 1, '2024-05-01T10:00:00Z')), b.deliver(alert('f2', 1, '2024-05-01T10:00:00Z'))]);
    expect(results.sort()).toEqual(['posted', 'unchanged']);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('on 429 waits Retry-After and then delivers', async () => {
    slack.rateLimit('chat.postMessage', 2, 3);
    expect(await makeDelivery().deliver(alert('f3', 1, '2024-05-01T10:00:00Z'))).toBe('posted');

    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.postMessage']);
    expect(sleeps).toEqual([3000, 3000]);
    expect(logLines.lines.filter((l) => l.msg === 'Slack rate limited; waiting Retry-After')).toHaveLength(2);
  });

  it('fails the job (for BullMQ to retry) when 429s outlast the retries, posting nothing', async () => {
    slack.rateLimit('chat.postMessage', 100, 1);
    await expect(makeDelivery().deliver(alert('f4', 1, '2024-05-01T10:00:00Z'))).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(6);
  });

  it('reports a bad token at error level and leaves the job to be retried', async () => {
    const err = await makeDelivery('xoxb-wrong').deliver(alert('f5', 1, '2024-05-01T10:00:00Z')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect(err).toMatchObject({ code: 'SLACK_AUTH' });
    const errors = logLines.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'invalid_auth', method: 'chat.postMessage' });
  });

  it('treats a card Slack refuses as bad input', async () => {
    slack.failWith('chat.postMessage', 'invalid_blocks', 1);
    const err = await makeDelivery().deliver(alert('f6', 1, '2024-05-01T10:00:00Z')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'SLACK_PAYLOAD' });
  });

  it('does nothing for a triage result without a card', async () => {
    const { card: _card, ...noCard } = alert('f7', 1, '2024-05-01T10:00:00Z');
    expect(await makeDelivery().deliver({ ...noCard, outcome: 'suppressed' })).toBe('none');
    expect(slack.calls).toEqual([]);
  });
});

describe('per-channel spacing', () => {
  it('gives each message to a channel its own slot, one interval apart', async () => {
    const t = await openTestRedis('limiter');
    const waits: number[] = [];
    const limiter = createChannelLimiter(t.redis, t.prefix, { intervalMs: 1000, sleep: async (ms) => void waits.push(ms) });
    const slots = [await limiter.take('C1'), await limiter.take('C1'), await limiter.take('C1'), await limiter.take('C2')];
    expect([slots[1]! - slots[0]!, slots[2]! - slots[1]!]).toEqual([1000, 1000]);
    expect(waits).toHaveLength(2);

    const afterHold = await limiter.take('C2', 30_000);
    expect(afterHold - slots[3]!).toBeGreaterThanOrEqual(30_000);
    expect(await limiter.take('C2')).toBe(afterHold + 1000);
    await t.cleanup();
  });
});

describe('Slack stand-in', () => {
  it('refuses a card over Slack limits the way Slack does', async () => {
    const slack = await startSlackStandIn();
    const client = new WebClient(STAND_IN_TOKEN, slackClientOptions(slack.apiUrl));
    const header = { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } };
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const errors = [];
    for (const args of [{ text: 'x'.repeat(40_001) }, { text: 'ok', blocks: tooMany }, { text: 'ok', blocks: [header] }]) {
      errors.push(await client.chat.postMessage({ channel: 'C1', ...args }).then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error));
    }
    await slack.close();
    expect(errors).toEqual(['msg_too_long', 'invalid_blocks', 'invalid_blocks']);
  });
});
