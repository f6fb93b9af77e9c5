/**
 * Per principal, the IPs and ASNs seen before, in Redis sets. The first time
 * a principal is observed everything is new, so that run only records a
 * baseline instead of flagging every address.
 */
import type { Redis } from 'ioredis';

const TTL_SECONDS = 90 * 86_400;

export interface NewSightings {
  baseline: boolean;
  ips: string[];
  asns: string[];
}

export async function recordSightings(redis: Redis, keyBase: string, ips: string[], asns: string[]): Promise<NewSightings> {
  const ipKey = `${keyBase}:ips`;
  const asnKey = `${keyBase}:asns`;
  const known = await redis.multi().smembers(ipKey).smembers(asnKey).exec();
  const knownIps = new Set(asStrings(known?.[0]?.[1]));
  const knownAsns = new Set(asStrings(known?.[1]?.[1]));
  const baseline = knownIps.size === 0 && knownAsns.size === 0;

  const write = redis.multi();
  if (ips.length) write.sadd(ipKey, ...ips).expire(ipKey, TTL_SECONDS);
  if (asns.length) write.sadd(asnKey, ...asns).expire(asnKey, TTL_SECONDS);
  await write.exec();
  return { baseline, ips: baseline ? [] : ips.filter((ip) => !knownIps.has(ip)), asns: baseline ? [] : asns.filter((a) => !knownAsns.has(a)) };
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
