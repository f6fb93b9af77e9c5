/**
 * An index of posted alerts per tenant, by actor, resource and type, so a
 * new card can say "seen 3 times this month" and link the earlier ones.
 * Sorted sets scored by time; entries older than the window are trimmed on write.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Signal } from '../model/signal.js';
import type { Triaged } from '../pipeline/triage.js';
import { cacheKey } from './cache.js';
import type { EnrichDeps } from './types.js';

const DAY_MS = 86_400_000;
const KEEP_DAYS = 31;

export type Dimension = 'actor' | 'resource' | 'type';

const AlertSchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.string(),
  at: z.string(),
  channel: z.string().optional(),
  cardKey: z.string().optional(),
  permalink: z.string().optional(),
});

export type AlertRecord = z.infer<typeof AlertSchema>;

export function dimensionsOf(signal: Signal): [Dimension, string][] {
  const actor = signal.actor?.arn ?? signal.actor?.accessKeyId ?? signal.actor?.userName;
  const resource = signal.resource.id ? `${signal.resource.type}/${signal.resource.id}` : undefined;
  const dims: [Dimension, string | undefined][] = [['actor', actor], ['resource', resource], ['type', signal.type]];
  return dims.filter((d): d is [Dimension, string] => d[1] !== undefined);
}

function indexKey(deps: EnrichDeps, tenant: string, dim: Dimension, value: string): string {
  return cacheKey(deps, 'similar', tenant, dim, value);
}

function recordKey(deps: EnrichDeps, tenant: string, id: string): string {
  return cacheKey(deps, 'alert', tenant, id);
}

/** Call once a card is posted; `permalink` links the earlier alert from later cards. */
export async function recordAlert(triaged: Triaged, deps: EnrichDeps & { redis: Redis }, extra: { permalink?: string; now?: Date } = {}): Promise<void> {
  const signal = triaged.signal;
  if (!signal) return;
  const tenant = triaged.tenantId ?? 'default';
  const now = (extra.now ?? new Date()).getTime();
  const record: AlertRecord = { id: signal.id, title: signal.title, type: signal.type, at: new Date(now).toISOString(), channel: triaged.channel, cardKey: triaged.cardKey, permalink: extra.permalink };

  const tx = deps.redis.multi().set(recordKey(deps, tenant, signal.id), JSON.stringify(record), 'EX', KEEP_DAYS * 86_400);
  for (const [dim, value] of dimensionsOf(signal)) {
    const key = indexKey(deps, tenant, dim, value);
    tx.zadd(key, now, signal.id).zremrangebyscore(key, '-inf', now - KEEP_DAYS * DAY_MS).expire(key, KEEP_DAYS * 86_400);
  }
  await tx.exec();
}

export interface SimilarAlert extends AlertRecord {
  matched: Dimension[];
}

export async function similarAlerts(signal: Signal, tenantId: string | undefined, deps: EnrichDeps & { redis: Redis }, now: Date, days: number): Promise<SimilarAlert[]> {
  const tenant = tenantId ?? 'default';
  const from = now.getTime() - days * DAY_MS;
  const matched = new Map<string, Dimension[]>();
  for (const [dim, value] of dimensionsOf(signal)) {
    const ids = await deps.redis.zrangebyscore(indexKey(deps, tenant, dim, value), from, now.getTime());
    for (const id of ids) if (id !== signal.id) matched.set(id, [...(matched.get(id) ?? []), dim]);
  }
  if (matched.size === 0) return [];

  const ids = [...matched.keys()];
  const raw = await deps.redis.mget(ids.map((id) => recordKey(deps, tenant, id)));
  return raw.flatMap((text, i) => {
    const parsed = text ? AlertSchema.safeParse(safeJson(text)) : undefined;
    return parsed?.success ? [{ ...parsed.data, matched: matched.get(ids[i] ?? '') ?? [] }] : [];
  }).sort((a, b) => b.at.localeCompare(a.at));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
