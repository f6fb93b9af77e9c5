/**
 * Windows of one principal's CloudTrail events looked up lately. A finding
 * whose window lies inside one already fetched (or being fetched) reads that
 * cached answer, filtered to its own window, instead of paying for its own
 * LookupEvents pages. Remembered in Redis exactly as long as the answers.
 */
import { CLOUDTRAIL_TTL_SECONDS } from './cloudtrail.js';
import { cacheKey, type CacheDeps } from './cache.js';

export interface Window {
  since: Date;
  until: Date;
}

/** The narrowest remembered window covering `wanted`, or `wanted` itself (then remembered). */
export async function coveringWindow(deps: CacheDeps, identity: string[], wanted: Window): Promise<Window> {
  const redis = deps.redis;
  if (!redis) return wanted;
  const key = cacheKey(deps, 'ctw', ...identity);
  const known = (await redis.hkeys(key).catch(() => [])).flatMap(parseField);
  const covers = known.filter((w) => w.since <= wanted.since.getTime() && w.until >= wanted.until.getTime());
  const best = covers.sort((a, b) => a.until - a.since - (b.until - b.since))[0];
  if (best) return { since: new Date(best.since), until: new Date(best.until) };

  await redis.multi().hset(key, field(wanted), '1').expire(key, CLOUDTRAIL_TTL_SECONDS).exec().catch(() => undefined);
  return wanted;
}

/** A window whose answer hit the page cap lacks its oldest events: never hand it to a narrower request. */
export async function forgetWindow(deps: CacheDeps, identity: string[], window: Window): Promise<void> {
  await deps.redis?.hdel(cacheKey(deps, 'ctw', ...identity), field(window)).catch(() => undefined);
}

function field(w: Window): string {
  return `${w.since.getTime()}-${w.until.getTime()}`;
}

function parseField(text: string): { since: number; until: number }[] {
  const [since, until] = text.split('-').map(Number);
  return since !== undefined && until !== undefined && Number.isFinite(since) && Number.isFinite(until) ? [{ since, until }] : [];
}
