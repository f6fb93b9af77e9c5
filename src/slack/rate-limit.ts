import type { Redis } from 'ioredis';
import { keys } from '../queue/settings.js';

/**
 * Slack allows about one message per second per channel. Every worker
 * reserves the next free slot for a channel in Redis (clock: Redis TIME, so
 * workers on different hosts agree) and sleeps until it comes.
 *
 * KEYS[1] the channel's next-free-slot key
 * ARGV[1] spacing in ms; ARGV[2] minimum delay from now in ms (0, or Retry-After)
 * Returns { reservedAt ms, wait ms }.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now + tonumber(ARGV[2]), nextFree)
redis.call('SET', KEYS[1], at + tonumber(ARGV[1]), 'PX', at - now + tonumber(ARGV[1]) + 1000)
return { at, at - now }
`;

export interface ChannelLimiter {
  /**
   * Waits for this channel's next slot, at least `minDelayMs` from now (after
   * a 429: Retry-After, which then holds every other worker off too).
   * Resolves with the slot's time (ms, Redis clock).
   */
  take(channel: string, minDelayMs?: number): Promise<number>;
}

export interface LimiterOptions {
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_CHANNEL_INTERVAL_MS = 1_000;

export function createChannelLimiter(redis: Redis, prefix: string, options: LimiterOptions = {}): ChannelLimiter {
  const interval = options.intervalMs ?? DEFAULT_CHANNEL_INTERVAL_MS;
  const sleep = options.sleep ?? defaultSleep;
  const k = keys(prefix);

  return {
    take: async (channel, minDelayMs = 0) => {
      const reply = await redis.eval(RESERVE, 1, k.channelSlot(channel), interval, Math.max(0, Math.round(minDelayMs)));
      const [at, wait] = Array.isArray(reply) ? reply.map(Number) : [Number.NaN, 0];
      if (wait && wait > 0) await sleep(wait);
      return at ?? Number.NaN;
    },
  };
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
