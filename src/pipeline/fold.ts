import type { Redis } from 'ioredis';
import type { Card } from '../../blocks/types.js';
import type { Decision } from '../model/decision.js';
import type { Signal } from '../model/signal.js';
import type { Triaged } from './triage.js';

/**
 * Dedup for rule matches on CloudTrail: repeated matches with the same key
 * within the rule's window fold into one card whose count is the number of
 * distinct events. A match after a quiet period longer than the window opens
 * a new card (a new generation of the key).
 *
 * Counting distinct event ids makes a retried job harmless: the same event
 * folded twice is still one.
 */

export type Rebuild = (signal: Signal, decision: Decision) => Card;

export interface Folder {
  fold(triaged: Triaged): Promise<Triaged>;
}

/*
 * KEYS[1] state hash {gen, first, last}   KEYS[2] id-set prefix (gen appended)
 * ARGV[1] event time ms   ARGV[2] window ms   ARGV[3] event id   ARGV[4] ttl seconds
 * Returns {gen, count, first, last}.
 */
const FOLD_SCRIPT = `
local t = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local gen = tonumber(redis.call('HGET', KEYS[1], 'gen') or '0')
local first = tonumber(redis.call('HGET', KEYS[1], 'first') or ARGV[1])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or ARGV[1])
if gen == 0 or t > last + window or t < first - window then
  gen = gen + 1
  first = t
  last = t
end
if t < first then first = t end
if t > last then last = t end
local ids = KEYS[2] .. gen
redis.call('SADD', ids, ARGV[3])
redis.call('EXPIRE', ids, ARGV[4])
redis.call('HSET', KEYS[1], 'gen', gen, 'first', first, 'last', last)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return {gen, redis.call('SCARD', ids), first, last}
`;

export function createFolder(redis: Redis, prefix: string, rebuild: Rebuild): Folder {
  return {
    fold: async (triaged) => {
      const lead = triaged.decision?.hits[0];
      const { signal, decision, cardKey } = triaged;
      if (!signal || !decision || !cardKey || signal.source !== 'cloudtrail' || !lead?.dedupKey || !lead.dedupWindowSeconds) {
        return triaged;
      }
      const at = Date.parse(signal.lastSeen ?? '') || Date.now();
      const windowMs = lead.dedupWindowSeconds * 1000;
      const ttl = Math.max(3600, 2 * lead.dedupWindowSeconds);
      const reply = (await redis.eval(FOLD_SCRIPT, 2, `${prefix}:fold:${cardKey}`, `${prefix}:fold-ids:${cardKey}:`, at, windowMs, signal.id, ttl)) as number[];
      const [gen = 1, count = 1, first = at, last = at] = reply.map(Number);

      const folded: Signal = { ...signal, count, firstSeen: new Date(first).toISOString(), lastSeen: new Date(last).toISOString(), updatedAt: new Date(last).toISOString() };
      return { ...triaged, signal: folded, card: rebuild(folded, decision), cardKey: `${cardKey}#${gen}` };
    },
  };
}
