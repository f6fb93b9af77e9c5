/**
 * A JSON cache in Redis with one in-flight computation per key, so a burst
 * of findings about one principal costs one lookup. Buffers survive the trip
 * as base64. Redis being down degrades to no cache, never to a failure.
 */
import type { Redis } from 'ioredis';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';

const inflight = new Map<string, Promise<unknown>>();

export interface CacheDeps {
  redis?: Redis;
  prefix?: string;
  log: Logger;
}

export function cacheKey(deps: CacheDeps, ...parts: string[]): string {
  return [deps.prefix ?? 'picket', 'enrich', ...parts].join(':');
}

export async function cached<T>(deps: CacheDeps, key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  if (ttlSeconds <= 0) return compute();
  const pending = inflight.get(key);
  if (pending) return pending as Promise<T>;

  const redis = deps.redis;
  const work = (redis ? readThrough(deps, redis, key, ttlSeconds, compute) : compute()).finally(() => inflight.delete(key));
  inflight.set(key, work);
  return work;
}

async function readThrough<T>(deps: CacheDeps, redis: Redis, key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  const hit = await redis.get(key).catch((err: unknown) => {
    deps.log.warn('enrich cache read failed', { key, error: errorMessage(err) });
    return null;
  });
  if (hit !== null) return JSON.parse(hit, revive) as T;

  const value = await compute();
  await redis.set(key, JSON.stringify(value, replace), 'EX', ttlSeconds).catch((err: unknown) => {
    deps.log.warn('enrich cache write failed', { key, error: errorMessage(err) });
  });
  return value;
}

function replace(this: unknown, _key: string, value: unknown): unknown {
  if (isBufferJson(value)) return { $buffer: Buffer.from(value.data).toString('base64') };
  return value;
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && '$buffer' in value && typeof value.$buffer === 'string') {
    return Buffer.from(value.$buffer, 'base64');
  }
  return value;
}

function isBufferJson(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && 'type' in value && value.type === 'Buffer' && 'data' in value && Array.isArray(value.data);
}
