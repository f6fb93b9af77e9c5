/**
 * Where the queue lives. Secrets never come from here: only the Redis URL and
 * a key prefix, so several Picket installs (or test runs) can share one Redis.
 */
export interface QueueSettings {
  redisUrl: string;
  /** Every Redis key Picket writes starts with `<prefix>:`. */
  prefix: string;
  queueName: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_PREFIX = 'picket';
export const QUEUE_NAME = 'findings';

export function queueSettings(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  return {
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    prefix: env.PICKET_QUEUE_PREFIX || DEFAULT_PREFIX,
    queueName: QUEUE_NAME,
  };
}

/** Picket's own keys (not BullMQ's), all under the prefix. */
export function keys(prefix: string) {
  return {
    deadLetters: `${prefix}:dlq:entries`,
    deadLetterIndex: `${prefix}:dlq:index`,
    outcomes: `${prefix}:stats:outcomes`,
    deliveries: `${prefix}:stats:deliveries`,
    routes: `${prefix}:stats:routes`,
    rules: `${prefix}:stats:rules`,
    card: (cardKey: string) => `${prefix}:card:${cardKey}`,
    cardLock: (cardKey: string) => `${prefix}:card-lock:${cardKey}`,
    channelSlot: (channel: string) => `${prefix}:slack-slot:${channel}`,
    cursor: (account: string, region: string) => `${prefix}:poll-cursor:${account}:${region}`,
  };
}

export type Keys = ReturnType<typeof keys>;
