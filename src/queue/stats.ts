import type { Redis } from 'ioredis';
import type { Outcome } from '../model/decision.js';
import { keys } from './settings.js';

/**
 * Counters for the summary: every item ends in exactly one outcome; cards
 * are counted by what delivery did with them; alerts and DUETs by route.
 */

export const OUTCOMES: readonly Outcome[] = ['alert', 'duet', 'suppressed', 'ignored', 'rejected'];

export type DeliveryAction = 'posted' | 'updated' | 'unchanged' | 'none';

export type RuleCount = 'hit' | 'dry-run' | 'suppressed';

export interface Stats {
  outcome(outcome: Outcome, by?: number): Promise<void>;
  delivery(action: DeliveryAction): Promise<void>;
  route(route: string): Promise<void>;
  /** Per-rule counters: matches that posted, matched in dry-run, or were muted by a suppression. */
  rule(kind: RuleCount, id: string): Promise<void>;
  read(): Promise<StatsSnapshot>;
}

export interface StatsSnapshot {
  outcomes: Record<Outcome, number>;
  deliveries: Record<DeliveryAction, number>;
  routes: Record<string, number>;
  /** `<kind>:<rule or suppression id>` → count. */
  rules: Record<string, number>;
}

export function createStats(redis: Redis, prefix: string): Stats {
  const k = keys(prefix);
  return {
    outcome: async (outcome, by = 1) => {
      if (by > 0) await redis.hincrby(k.outcomes, outcome, by);
    },
    delivery: async (action) => {
      await redis.hincrby(k.deliveries, action, 1);
    },
    route: async (route) => {
      await redis.hincrby(k.routes, route, 1);
    },
    rule: async (kind, id) => {
      await redis.hincrby(k.rules, `${kind}:${id}`, 1);
    },
    read: async () => {
      const [outcomes, deliveries, routes, rules] = await Promise.all([
        redis.hgetall(k.outcomes),
        redis.hgetall(k.deliveries),
        redis.hgetall(k.routes),
        redis.hgetall(k.rules),
      ]);
      return {
        outcomes: numbers(outcomes, OUTCOMES),
        deliveries: numbers(deliveries, ['posted', 'updated', 'unchanged', 'none'] as const),
        routes: numbers(routes, Object.keys(routes)),
        rules: numbers(rules, Object.keys(rules)),
      };
    },
  };
}

function numbers<K extends string>(hash: Record<string, string>, names: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const name of names) out[name] = Number(hash[name] ?? 0);
  return out;
}
