import { Redis } from 'ioredis';
import { RetryLaterError } from '../core/errors.js';
import type { Logger } from '../core/log.js';

/**
 * Two kinds of connection: producers (intake, replay, pollers) fail fast so a
 * caller can answer 503 or leave a message unacknowledged; BullMQ workers
 * block and so must retry forever (`maxRetriesPerRequest: null`).
 */
export function producerConnection(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3_000,
    commandTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 3_000 });
}

/** Resolves once the connection is ready; rejects with RetryLaterError when Redis does not answer in time. */
export function waitReady(redis: Redis, timeoutMs = 3_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    let lastError: unknown;
    const onError = (err: unknown) => {
      lastError = err;
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new RetryLaterError(`Redis did not answer within ${timeoutMs} ms`, { code: 'REDIS_UNAVAILABLE', cause: lastError }));
    }, timeoutMs);
    redis.on('ready', onReady);
    redis.on('error', onError);
  });
}

export interface EvictionCheck {
  policy: string;
  ok: boolean;
}

/**
 * BullMQ needs `noeviction`: under any other policy Redis may silently drop
 * queued jobs or locks when memory runs short, and findings would be lost.
 */
export async function checkEvictionPolicy(redis: Pick<Redis, 'config'>, log: Logger): Promise<EvictionCheck> {
  const reply = await redis.config('GET', 'maxmemory-policy').catch((err: unknown) => {
    log.warn('cannot read Redis maxmemory-policy (CONFIG GET refused?)', { error: err });
    return undefined;
  });
  const policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : 'unknown';
  const ok = policy === 'noeviction';
  if (!ok) {
    log.error('Redis maxmemory-policy must be noeviction: queued findings can be evicted and lost', {
      policy,
      fix: 'redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf)',
    });
  }
  return { policy, ok };
}

/** Redis answers and holds writes right now; the intake asks before each request. */
export function redisReady(redis: Redis): boolean {
  return redis.status === 'ready';
}

/** Remove every key under `<prefix>:` with SCAN + UNLINK (never KEYS, never FLUSHDB). */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (found.length > 0) deleted += await redis.unlink(...found);
  } while (cursor !== '0');
  return deleted;
}
