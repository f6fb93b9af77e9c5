import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RetryLaterError } from '../core/errors.js';
import { keys } from '../queue/settings.js';
import { defaultSleep } from './rate-limit.js';

/**
 * Which Slack message shows a card: one per cardKey, remembered in Redis with
 * the count and updatedAt it last showed. A lock per cardKey makes "read the
 * state, post or update, write the state" one step across workers.
 */

export interface CardState {
  channel: string;
  ts: string;
  count: number;
  updatedAt?: string;
  lastSeen?: string;
}

export interface CardVersion {
  count: number;
  updatedAt?: string;
  lastSeen?: string;
}

/** GuardDuty findings live 90 days; a card's state outlives them a little. */
const STATE_TTL_SECONDS = 100 * 24 * 3600;
/** Longer than a delivery can take, 429 waits included, so a slow post never loses its lock to a second poster. */
const LOCK_TTL_MS = 5 * 60_000;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface CardStore {
  get(cardKey: string): Promise<CardState | undefined>;
  set(cardKey: string, state: CardState): Promise<void>;
  withLock<T>(cardKey: string, fn: () => Promise<T>): Promise<T>;
}

export interface CardStoreOptions {
  lockWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function createCardStore(redis: Redis, prefix: string, options: CardStoreOptions = {}): CardStore {
  const k = keys(prefix);
  const sleep = options.sleep ?? defaultSleep;
  const lockWait = options.lockWaitMs ?? 15_000;

  const acquire = async (cardKey: string, token: string) => {
    for (let waited = 0; waited <= lockWait; waited += 50) {
      if ((await redis.set(k.cardLock(cardKey), token, 'PX', LOCK_TTL_MS, 'NX')) === 'OK') return;
      await sleep(50);
    }
    throw new RetryLaterError(`card ${cardKey} is locked by another worker`, { code: 'CARD_LOCKED' });
  };

  return {
    get: async (cardKey) => parseState(await redis.hgetall(k.card(cardKey))),
    set: async (cardKey, state) => {
      const fields = Object.entries(state).filter(([, v]) => v !== undefined).flatMap(([f, v]) => [f, String(v)]);
      await redis.multi().del(k.card(cardKey)).hset(k.card(cardKey), ...fields).expire(k.card(cardKey), STATE_TTL_SECONDS).exec();
    },
    withLock: async (cardKey, fn) => {
      const token = randomBytes(8).toString('hex');
      await acquire(cardKey, token);
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, k.cardLock(cardKey), token);
      }
    },
  };
}

function parseState(hash: Record<string, string>): CardState | undefined {
  if (!hash.channel || !hash.ts) return undefined;
  return { channel: hash.channel, ts: hash.ts, count: Number(hash.count ?? 1), updatedAt: hash.updatedAt, lastSeen: hash.lastSeen };
}

/** A later update shows a newer updatedAt (or, with the same or no updatedAt, a higher count). */
export function isNewer(prev: CardVersion, next: CardVersion): boolean {
  const a = prev.updatedAt ? Date.parse(prev.updatedAt) : Number.NaN;
  const b = next.updatedAt ? Date.parse(next.updatedAt) : Number.NaN;
  if (Number.isFinite(a) && Number.isFinite(b) && a !== b) return b > a;
  if (!Number.isFinite(a) && Number.isFinite(b)) return true;
  return next.count > prev.count;
}
