import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { TenantIndex } from '../config/tenants.js';
import { at } from '../core/json.js';
import type { Signal } from '../model/signal.js';
import { respondKeys } from './keys.js';
import { parseJson } from './store-json.js';

/**
 * Suppressions a DUET answerer created: one rule, one tenant, a match on a few
 * signal fields, an owner, a reason and an expiry. Data the SOC can list and
 * revoke; the pipeline asks `suppressedBy` (sync, from a cache refreshed from
 * Redis) while deciding.
 */

export const SuppressionSchema = z.object({
  id: z.string(),
  tenant: z.string(),
  ruleId: z.string(),
  match: z.record(z.string(), z.string()),
  owner: z.string(),
  reason: z.string(),
  expiresAt: z.string(),
  createdAt: z.string().optional(),
});

export type Suppression = z.infer<typeof SuppressionSchema>;
export type NewSuppression = Omit<Suppression, 'id' | 'createdAt'>;

/** Signal paths a suppression may pin. Anything broader would silence a rule for a whole tenant. */
export const SUPPRESSION_FIELDS = ['accountId', 'region', 'actor.arn', 'actor.userName', 'actor.roleName', 'actor.sessionName', 'resource.id', 'remotes.0.ip'] as const;

/**
 * Every suppression pins at least one of these: who did it or what it was
 * done to. Account, region or address alone would mute the rule for every
 * principal of the tenant.
 */
export const PRINCIPAL_FIELDS: readonly string[] = ['actor.arn', 'actor.userName', 'actor.roleName', 'actor.sessionName', 'resource.id'];

export function pinsPrincipal(match: Record<string, string>): boolean {
  return PRINCIPAL_FIELDS.some((path) => (match[path] ?? '') !== '');
}

export interface SuppressionStore {
  add(input: NewSuppression, now: Date): Promise<Suppression>;
  /** Live suppressions, newest first; expired ones are removed on the way. */
  list(now: Date, tenant?: string): Promise<Suppression[]>;
  get(id: string): Promise<Suppression | undefined>;
  revoke(id: string): Promise<Suppression | undefined>;
}

export function createSuppressionStore(redis: Redis, prefix: string): SuppressionStore {
  const key = respondKeys(prefix).suppressions;
  const parse = (text: string | null | undefined) => {
    const parsed = SuppressionSchema.safeParse(parseJson(text));
    return parsed.success ? parsed.data : undefined;
  };

  return {
    add: async (input, now) => {
      const suppression = { ...input, id: `sup-${randomBytes(5).toString('hex')}`, createdAt: now.toISOString() };
      await redis.hset(key, suppression.id, JSON.stringify(suppression));
      return suppression;
    },
    list: async (now, tenant) => {
      const all = Object.entries(await redis.hgetall(key));
      const live: Suppression[] = [];
      for (const [id, text] of all) {
        const s = parse(text);
        if (!s || Date.parse(s.expiresAt) <= now.getTime()) await redis.hdel(key, id);
        else if (tenant === undefined || s.tenant === tenant) live.push(s);
      }
      return live.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    },
    get: async (id) => parse(await redis.hget(key, id)),
    revoke: async (id) => {
      const prior = parse(await redis.hget(key, id));
      await redis.hdel(key, id);
      return prior;
    },
  };
}

/** The fields a mute could pin for this signal, with their values. */
export function muteCandidates(signal: Signal): Record<string, string> {
  const candidates: Record<string, string> = {};
  for (const path of SUPPRESSION_FIELDS) {
    const value = at(signal, path);
    if (typeof value === 'string' && value !== '') candidates[path] = value;
  }
  return candidates;
}

/** The default scope offered after a Yes: this rule, this account, this principal. */
export function defaultMatch(signal: Signal): Record<string, string> {
  const match: Record<string, string> = {};
  for (const path of ['accountId', 'actor.arn'] as const) {
    const value = at(signal, path);
    if (typeof value === 'string' && value !== '') match[path] = value;
  }
  if (match['actor.arn'] === undefined && signal.actor?.userName) match['actor.userName'] = signal.actor.userName;
  return match;
}

export function matches(suppression: Suppression, ruleId: string, signal: Signal): boolean {
  if (suppression.ruleId !== ruleId) return false;
  const pins = Object.entries(suppression.match);
  // A suppression that pins nothing would silence the rule for the whole tenant: never match.
  if (pins.length === 0) return false;
  return pins.every(([path, value]) => {
    const actual = at(signal, path);
    return (typeof actual === 'string' || typeof actual === 'number') && String(actual) === value;
  });
}

export interface SuppressionMatcher {
  refresh(): Promise<void>;
  /** Shaped for the pipeline's DecideContext.suppressedBy. */
  suppressedBy(rule: { id: string }, signal: Signal): string | undefined;
}

export function createSuppressionMatcher(store: SuppressionStore, tenants: TenantIndex, now: () => Date = () => new Date()): SuppressionMatcher {
  let cache: Suppression[] = [];
  return {
    refresh: async () => {
      cache = await store.list(now());
    },
    suppressedBy: (rule, signal) => {
      const tenant = tenants.forAccount(signal.accountId).tenant?.id;
      if (tenant === undefined) return undefined;
      const time = now().getTime();
      const hit = cache.find((s) => s.tenant === tenant && Date.parse(s.expiresAt) > time && matches(s, rule.id, signal));
      return hit?.id;
    },
  };
}
