/** First-party intel: the signal's IPs (and their ASNs), domains and access key against our own lists. */
import type { GeoLookup } from '../../geo/lookup.js';
import type { IntelEntry, IntelStore } from '../../intel/store.js';
import type { Signal } from '../../model/signal.js';
import { remoteDomains, remoteIps } from '../facts.js';
import type { Evidence, Provider } from '../types.js';

const NAME = 'intel';

function hit(subject: string, entry: IntelEntry): Evidence {
  return { provider: NAME, field: subject, value: `${entry.label} (${entry.source})`, verdict: entry.verdict };
}

export function firstPartyEvidence(signal: Signal, intel: IntelStore, geo: GeoLookup): Evidence[] {
  const evidence: Evidence[] = [];
  for (const ip of remoteIps(signal)) {
    evidence.push(...intel.matchIp(ip).map((e) => hit(ip, e)));
    const asn = geo.lookup(ip)?.asn;
    if (asn !== undefined) evidence.push(...intel.matchAsn(asn).map((e) => hit(`${ip} AS${asn}`, e)));
  }
  for (const domain of remoteDomains(signal)) evidence.push(...intel.matchDomain(domain).map((e) => hit(domain, e)));
  const key = signal.actor?.accessKeyId;
  if (key) evidence.push(...intel.matchAccessKey(key).map((e) => hit(key, e)));
  return evidence;
}

export const firstPartyProvider: Provider = {
  name: NAME,
  offline: true,
  appliesTo: (signal) => remoteIps(signal).length > 0 || remoteDomains(signal).length > 0 || signal.actor?.accessKeyId !== undefined,
  timeoutMs: 1_000,
  ttlSeconds: 0,
  budget: 0,
  run: async (ctx) => ({ evidence: firstPartyEvidence(ctx.signal, ctx.deps.intel, ctx.deps.geo) }),
};
