import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RetryLaterError } from '../core/errors.js';

/**
 * A short Redis lock: two clicks on one alert (or a click and a timer) change
 * its state one after the other, never interleaved.
 */

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const LOCK_TTL_MS = 30_000;
const STEP_MS = 25;

export async function withLock<T>(redis: Redis, key: string, fn: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const token = randomBytes(8).toString('hex');
  for (let waited = 0; ; waited += STEP_MS) {
    if ((await redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) === 'OK') break;
    if (waited >= waitMs) throw new RetryLaterError(`${key} is held by another worker`, { code: 'ALERT_LOCKED' });
    await new Promise((resolve) => setTimeout(resolve, STEP_MS));
  }
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
