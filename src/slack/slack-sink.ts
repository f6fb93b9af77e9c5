import { ErrorCode, type WebClient } from '@slack/web-api';
import { InputError, RateLimitedError, RetryLaterError, errorMessage } from '../core/errors.js';
import { LogField, type Logger } from '../core/log.js';
import type { Card, CardSink, MessageRef } from './delivery.js';
import type { ChannelLimiter } from './rate-limit.js';

/**
 * Cards to Slack through the Bolt app's WebClient. The client must be built
 * with `rejectRateLimitedCalls: true` (see app.ts) so a 429 comes back here:
 * we hold the channel off for Retry-After, wait, and try again; when the
 * retries run out the job fails and BullMQ retries it later.
 */

const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
const PAYLOAD_ERRORS = new Set(['invalid_blocks', 'msg_too_long', 'invalid_arguments', 'too_many_attachments', 'invalid_attachments', 'no_text']);

export interface SlackSinkOptions {
  client: WebClient;
  limiter: ChannelLimiter;
  log: Logger;
  /** Attempts per call when Slack answers 429. */
  maxRateLimitRetries?: number;
}

export function createSlackSink(options: SlackSinkOptions): CardSink {
  const call = slackCaller(options);
  return {
    post: async (_cardKey, channel, card) => {
      const reply = await call(channel, 'chat.postMessage', () =>
        options.client.chat.postMessage({ channel, text: card.text, blocks: card.blocks, unfurl_links: false, unfurl_media: false }),
      );
      if (typeof reply.ts !== 'string') throw new RetryLaterError('chat.postMessage answered without a ts');
      return { channel: typeof reply.channel === 'string' ? reply.channel : channel, ts: reply.ts };
    },
    update: async (_cardKey, ref, card) => {
      await call(ref.channel, 'chat.update', () =>
        options.client.chat.update({ channel: ref.channel, ts: ref.ts, text: card.text, blocks: card.blocks }),
      );
    },
    note: async (_cardKey, ref, text) => {
      await call(ref.channel, 'chat.postMessage', () =>
        options.client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text }),
      );
    },
  };
}

type Caller = <T extends { ts?: string; channel?: string }>(channel: string, method: string, fn: () => Promise<T>) => Promise<T>;

function slackCaller(options: SlackSinkOptions): Caller {
  const retries = options.maxRateLimitRetries ?? 5;
  return async (channel, method, fn) => {
    let delay = 0;
    for (let attempt = 0; ; attempt += 1) {
      await options.limiter.take(channel, delay);
      try {
        return await fn();
      } catch (err) {
        const retryAfter = rateLimitedFor(err);
        if (retryAfter === undefined) throw classify(err, method, channel, options.log);
        if (attempt >= retries) throw new RateLimitedError(`Slack kept answering 429 to ${method}`, retryAfter * 1000);
        options.log.warn('Slack rate limited; waiting Retry-After', { method, [LogField.channel]: channel, retryAfter });
        delay = retryAfter * 1000;
      }
    }
  };
}

function rateLimitedFor(err: unknown): number | undefined {
  if (!isCoded(err) || err.code !== ErrorCode.RateLimitedError) return undefined;
  const value = (err as { retryAfter?: unknown }).retryAfter;
  return typeof value === 'number' && value >= 0 ? value : 1;
}

/** Map a Slack failure to what the queue should do with the job. */
export function classify(err: unknown, method: string, channel: string, log: Logger): Error {
  const slackError = platformError(err);
  if (slackError && AUTH_ERRORS.has(slackError)) {
    log.error('Slack rejected the bot token: check SLACK_BOT_TOKEN and that the app is installed', {
      method,
      [LogField.code]: slackError,
    });
    return new RetryLaterError(`Slack auth failed (${slackError})`, { code: 'SLACK_AUTH', cause: err });
  }
  if (slackError && PAYLOAD_ERRORS.has(slackError)) {
    return new InputError(`Slack refused the card (${slackError})`, { code: 'SLACK_PAYLOAD', cause: err });
  }
  if (slackError) {
    log.error('Slack call failed', { method, [LogField.channel]: channel, [LogField.code]: slackError });
    return new RetryLaterError(`Slack ${method} failed (${slackError})`, { code: 'SLACK_ERROR', cause: err });
  }
  return new RetryLaterError(`Slack ${method} failed: ${errorMessage(err)}`, { code: 'SLACK_UNREACHABLE', cause: err });
}

function platformError(err: unknown): string | undefined {
  if (!isCoded(err) || err.code !== ErrorCode.PlatformError) return undefined;
  const data = (err as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : 'unknown_error';
}

function isCoded(err: unknown): err is { code: unknown } {
  return typeof err === 'object' && err !== null && 'code' in err;
}

export type { Card, MessageRef };
