/** Offline geo and ASN of every remote IP; special ranges are labelled, not looked up. */
import { geoText, type GeoLookup } from '../../geo/lookup.js';
import type { Signal } from '../../model/signal.js';
import { remoteIps } from '../facts.js';
import type { Evidence, Provider } from '../types.js';

const NAME = 'geo';

export function geoEvidence(signal: Signal, geo: GeoLookup): Evidence[] {
  const evidence: Evidence[] = [];
  for (const ip of remoteIps(signal)) {
    const info = geo.lookup(ip);
    if (info) evidence.push({ provider: NAME, field: ip, value: geoText(info), verdict: 'info' });
  }
  return evidence;
}

export const geoProvider: Provider = {
  name: NAME,
  offline: true,
  appliesTo: (signal) => remoteIps(signal).length > 0,
  timeoutMs: 2_000,
  ttlSeconds: 0,
  budget: 0,
  run: async (ctx) => ({ evidence: geoEvidence(ctx.signal, ctx.deps.geo) }),
};
