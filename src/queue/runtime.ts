import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { LogField, type Logger } from '../core/log.js';
import { jobIdFor } from '../intake/identity.js';
import { createDeadLetterStore, type DeadLetterStore } from './dead-letter.js';
import { createEnqueuer, type Enqueuer } from './enqueue.js';
import { checkEvictionPolicy, producerConnection, waitReady } from './redis.js';
import { queueSettings, type QueueSettings } from './settings.js';
import { createStats, type Stats } from './stats.js';

/**
 * The producer side every command shares: a fail-fast Redis connection, the
 * BullMQ queue, the dead-letter store, the counters and the enqueuer. Opening
 * it checks that Redis answers and that it will not evict queued jobs.
 */
export interface Runtime {
  settings: QueueSettings;
  redis: Redis;
  queue: Queue;
  deadLetters: DeadLetterStore;
  stats: Stats;
  enqueuer: Enqueuer;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  log: Logger;
  settings?: QueueSettings;
  readyTimeoutMs?: number;
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const settings = options.settings ?? queueSettings();
  const { log } = options;
  const redis = producerConnection(settings.redisUrl);
  redis.on('error', (err) => log.debug('redis connection error', { [LogField.error]: err }));
  try {
    await waitReady(redis, options.readyTimeoutMs);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  await checkEvictionPolicy(redis, log);

  const queue = new Queue(settings.queueName, { connection: redis, prefix: settings.prefix });
  queue.on('error', (err) => log.warn('queue error', { [LogField.error]: err }));
  const deadLetters = createDeadLetterStore(redis, settings.prefix, { log });
  const stats = createStats(redis, settings.prefix);
  const enqueuer = createEnqueuer({ queue, redis, deadLetters, stats, jobIdFor, log });
  return {
    settings, redis, queue, deadLetters, stats, enqueuer,
    close: async () => {
      await queue.close();
      redis.disconnect();
    },
  };
}

/** How to say "Redis is not answering" to a person at a terminal. */
export function redisHelp(url: string): string[] {
  return [
    `Redis is not answering at ${url}.`,
    'Start one locally with:  redis-server --maxmemory-policy noeviction   (or: docker run -p 6379:6379 redis:7)',
    'or point REDIS_URL at a running Redis.',
  ];
}
