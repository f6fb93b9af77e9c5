import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Tests share the one local Redis: each run gets its own key prefix and
 * removes every key under it afterwards, so runs never see each other.
 */
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export interface TestRedis {
  redis: Redis;
  prefix: string;
  url: string;
  cleanup(): Promise<void>;
}

export function uniquePrefix(label = 'test'): string {
  return `picket-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export async function openTestRedis(label?: string): Promise<TestRedis> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = uniquePrefix(label);
  return {
    redis,
    prefix,
    url: TEST_REDIS_URL,
    cleanup: async () => {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}

/** Every key under `prefix:` goes, found with SCAN so a big keyspace never blocks Redis. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** A loopback port with nothing listening, for "Redis is down" cases. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
