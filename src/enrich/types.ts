/**
 * The shapes enrichment hands to cards, the investigate command and the
 * response actions. Evidence is plain, unescaped text; card builders escape it.
 */
import type { Redis } from 'ioredis';
import type { AwsAccess } from '../aws/access.js';
import type { Clock } from '../aws/clock.js';
import type { Logger } from '../core/log.js';
import type { GeoLookup } from '../geo/lookup.js';
import type { ThirdPartyAdapter } from '../intel/third-party/adapter.js';
import type { IntelStore } from '../intel/store.js';
import type { Signal } from '../model/signal.js';

export interface Evidence {
  provider: string;
  field: string;
  value: string;
  verdict?: 'bad' | 'suspicious' | 'info';
}

export interface ProviderFile {
  name: string;
  content: Buffer | string;
  title: string;
}

export interface ProviderResult {
  provider: string;
  status: 'ok' | 'unavailable' | 'skipped';
  reason?: string;
  evidence: Evidence[];
  files?: ProviderFile[];
}

export interface EnrichSettings {
  /** Related-activity window either side of the finding, in hours. */
  windowHours: number;
  /** LookupEvents pages per query (50 events each). */
  maxPages: number;
  /** Similar alerts look this many days back. */
  similarDays: number;
}

export const defaultSettings: EnrichSettings = { windowHours: 6, maxPages: 5, similarDays: 30 };

/** Everything providers may use; each part is optional so a missing one skips, never fails. */
export interface EnrichDeps {
  intel: IntelStore;
  geo: GeoLookup;
  log: Logger;
  aws?: AwsAccess;
  redis?: Redis;
  /** Key prefix for every Redis key enrichment writes. */
  prefix?: string;
  thirdParty?: ThirdPartyAdapter[];
  clock?: Clock;
  settings?: Partial<EnrichSettings>;
}

export interface EnrichContext {
  signal: Signal;
  tenantId?: string;
  now: Date;
  deps: EnrichDeps;
  /** Fires when the provider's time is up; long loops check it. */
  abort: AbortSignal;
  budget: CallBudget;
}

/** What a provider returns; the runner adds its name and status. */
export interface ProviderOutput {
  evidence: Evidence[];
  files?: ProviderFile[];
}

export interface Provider {
  name: string;
  /** Needs no network: safe for offline triage. */
  offline?: boolean;
  /** Whether the signal carries what this provider looks at. */
  appliesTo(signal: Signal): boolean;
  /** A reason to skip when a dependency (AWS access, Redis, API key) is missing. */
  unready?(deps: EnrichDeps, signal: Signal): string | undefined;
  timeoutMs: number;
  /** Seconds a result stays in Redis; 0 = never cached. */
  ttlSeconds: number;
  /** Upper bound on external calls per run. */
  budget: number;
  /** Cache identity: results for the same key are shared across signals. */
  cacheKey?(signal: Signal): string | undefined;
  run(ctx: EnrichContext): Promise<ProviderOutput>;
}

/** Thrown when a provider would exceed its call budget. */
export class BudgetExceededError extends Error {
  constructor(readonly limit: number) {
    super(`call budget of ${limit} spent`);
    this.name = 'BudgetExceededError';
  }
}

export class CallBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  spend(n = 1): void {
    if (this.used + n > this.limit) throw new BudgetExceededError(this.limit);
    this.used += n;
  }

  get spent(): number {
    return this.used;
  }

  get left(): number {
    return this.limit - this.used;
  }
}

export function settingsOf(deps: EnrichDeps): EnrichSettings {
  return { ...defaultSettings, ...deps.settings };
}
