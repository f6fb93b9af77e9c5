/**
 * Related activity: what the principal did around the finding, summarized,
 * with addresses and networks it has never used before called out. The full
 * event list goes to the thread as a CSV file.
 */
import { summarizeActivity, eventsCsv, type ActivitySummary } from '../activity.js';
import { cacheKey } from '../cache.js';
import { awsUnready } from '../aws-call.js';
import { lookupFor, relatedEvents, type Related } from '../related.js';
import { recordSightings } from '../seen.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const NAME = 'activity';
const TOP = 8;

function ev(field: string, value: string, verdict?: Evidence['verdict']): Evidence {
  return { provider: NAME, field, value, ...(verdict ? { verdict } : {}) };
}

function percent(n: number): string {
  return `${Math.round(n * 100)}%`;
}

export function activityEvidence(s: ActivitySummary, related: Pick<Related, 'since' | 'until' | 'capped'>): Evidence[] {
  const window = `${related.since.toISOString()} – ${related.until.toISOString()}`;
  const out = [ev('events', `${s.total} in ${window}${related.capped ? ' (page cap reached, more exist)' : ''}`)];
  if (s.total === 0) return out;
  out.push(ev('calls', s.calls.slice(0, TOP).map((c) => `${c.name} ×${c.count}`).join(', ') + (s.calls.length > TOP ? `, +${s.calls.length - TOP} more` : '')));
  const noisy = s.denied >= 5 && s.errorRate >= 0.2;
  out.push(ev('AccessDenied', `${s.denied} of ${s.total} (${percent(s.errorRate)})`, noisy ? 'suspicious' : undefined));
  for (const ip of s.sourceIps.slice(0, 5)) out.push(ev(`source ${ip.ip}`, `${ip.count} calls · ${ip.where}`));
  if (s.userAgents.length) out.push(ev('user agents', s.userAgents.slice(0, 3).map((u) => `${u.agent} ×${u.count}`).join(' | ')));
  if (s.highRisk.length) out.push(ev('high-risk calls', s.highRisk.map((c) => `${c.name} ×${c.count}`).join(', '), 'bad'));
  return out;
}

async function novelty(ctx: EnrichContext, s: ActivitySummary, principal: string): Promise<Evidence[]> {
  const redis = ctx.deps.redis;
  if (!redis) return [];
  const ips = s.sourceIps.filter((i) => i.asn !== undefined).map((i) => i.ip);
  const asns = [...new Set(s.sourceIps.flatMap((i) => (i.asn !== undefined ? [`AS${i.asn}`] : [])))];
  const seen = await recordSightings(redis, cacheKey(ctx.deps, 'seen', ctx.signal.accountId ?? '', principal), ips, asns);
  if (seen.baseline) return [ev('new IPs/ASNs', 'first observation of this principal: baseline recorded')];
  return [
    ...seen.asns.map((a) => ev('new ASN for this principal', a, 'suspicious')),
    ...seen.ips.map((ip) => ev('new IP for this principal', ip, 'info')),
  ];
}

export const activityProvider: Provider = {
  name: NAME,
  appliesTo: (s) => lookupFor(s) !== undefined,
  unready: awsUnready,
  timeoutMs: 9_000,
  ttlSeconds: 0,
  budget: 0,
  async run(ctx) {
    const related = await relatedEvents(ctx);
    const summary = summarizeActivity(related.events, ctx.deps.geo);
    const evidence = [...activityEvidence(summary, related), ...(await novelty(ctx, summary, related.lookup.principal))];
    const files = related.events.length
      ? [{ name: 'related-events.csv', content: eventsCsv(related.events), title: `CloudTrail events of ${related.lookup.value} (${related.events.length})` }]
      : [];
    return { evidence, files };
  },
};
