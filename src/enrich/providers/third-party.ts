/**
 * One provider per configured reputation service. Public IPs and domains
 * only: asking a vendor about 10.0.0.5 or db01.corp leaks topology and
 * answers nothing.
 */
import { specialKind } from '../../geo/special.js';
import type { IndicatorKind, ThirdPartyAdapter } from '../../intel/third-party/adapter.js';
import { domainKind } from '../../intel/third-party/shareable.js';
import type { Signal } from '../../model/signal.js';
import { cached, cacheKey } from '../cache.js';
import { remoteDomains, remoteIps } from '../facts.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const PER_RUN = 5;
const TTL_SECONDS = 6 * 3600;

export interface ThirdPartyOptions {
  /** Documentation ranges (RFC 5737/3849) are never real attackers; only tests against stand-ins send them. */
  sendDocumentationRanges?: boolean;
}

function shareable(ip: string, options: ThirdPartyOptions): boolean {
  const kind = specialKind(ip);
  return kind === undefined || (kind === 'documentation' && options.sendDocumentationRanges === true);
}

function shareableDomains(signal: Signal): string[] {
  return remoteDomains(signal).filter((d) => domainKind(d) === 'public');
}

function indicators(ctx: EnrichContext, adapter: ThirdPartyAdapter, options: ThirdPartyOptions): [IndicatorKind, string][] {
  const ips = remoteIps(ctx.signal).filter((ip) => shareable(ip, options)).map((ip): [IndicatorKind, string] => ['ip', ip]);
  const domains = adapter.kinds.includes('domain') ? shareableDomains(ctx.signal).map((d): [IndicatorKind, string] => ['domain', d]) : [];
  return [...ips, ...domains].slice(0, PER_RUN);
}

export function thirdPartyProvider(adapter: ThirdPartyAdapter, options: ThirdPartyOptions = {}): Provider {
  return {
    name: adapter.name,
    appliesTo: (signal) => remoteIps(signal).some((ip) => shareable(ip, options)) || (adapter.kinds.includes('domain') && shareableDomains(signal).length > 0),
    timeoutMs: 5_000,
    ttlSeconds: 0,
    budget: PER_RUN,
    async run(ctx) {
      const evidence: Evidence[] = [];
      for (const [kind, value] of indicators(ctx, adapter, options)) {
        const key = cacheKey(ctx.deps, 'ti', adapter.name, kind, value);
        evidence.push(...(await cached(ctx.deps, key, TTL_SECONDS, () => {
          ctx.budget.spend();
          return adapter.check(kind, value, ctx.abort);
        })));
      }
      return { evidence };
    },
  };
}
