/**
 * Runs every provider that applies to a signal, in parallel, and returns
 * within the deadline whatever happens: a provider that fails, runs out of
 * budget or is still working when its time is up comes back `unavailable`
 * with the reason, and the others are unaffected.
 */
import { AwsCallError } from '../aws/call.js';
import { errorMessage } from '../core/errors.js';
import type { GeoLookup } from '../geo/lookup.js';
import type { IntelStore } from '../intel/store.js';
import type { Signal } from '../model/signal.js';
import { cached, cacheKey } from './cache.js';
import { allProviders } from './providers/index.js';
import { firstPartyEvidence } from './providers/first-party.js';
import { geoEvidence } from './providers/geo.js';
import { BudgetExceededError, CallBudget, type EnrichDeps, type Evidence, type Provider, type ProviderResult } from './types.js';

export interface EnrichOptions {
  deadlineMs?: number;
  /** Only providers that need no network. */
  offline?: boolean;
  /** Run these instead of the full set (investigations pick their own). */
  providers?: Provider[];
  tenantId?: string;
  now?: Date;
}

export async function enrichSignal(signal: Signal, deps: EnrichDeps, opts: EnrichOptions = {}): Promise<ProviderResult[]> {
  const deadline = opts.deadlineMs ?? 10_000;
  const chosen = (opts.providers ?? allProviders(deps)).filter((p) => (!opts.offline || p.offline) && p.appliesTo(signal));
  const now = opts.now ?? new Date((deps.clock ?? Date).now());
  return Promise.all(chosen.map((p) => runProvider(p, signal, deps, { deadline, now, tenantId: opts.tenantId })));
}

/** Synchronous, no network: first-party intel and geo/ASN, for offline triage. */
export function offlineEvidence(signal: Signal, deps: { intel: IntelStore; geo: GeoLookup }): Evidence[] {
  return [...firstPartyEvidence(signal, deps.intel, deps.geo), ...geoEvidence(signal, deps.geo)];
}

interface RunOptions {
  deadline: number;
  now: Date;
  tenantId?: string;
}

export async function runProvider(p: Provider, signal: Signal, deps: EnrichDeps, opts: RunOptions): Promise<ProviderResult> {
  const skip = p.unready?.(deps, signal);
  if (skip) return { provider: p.name, status: 'skipped', reason: skip, evidence: [] };

  const limit = Math.min(p.timeoutMs, opts.deadline);
  const controller = new AbortController();
  const ctx = { signal, tenantId: opts.tenantId, now: opts.now, deps, abort: controller.signal, budget: new CallBudget(p.budget) };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ProviderResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(unavailable(p.name, `timed out after ${limit} ms`));
    }, limit);
  });

  const work = execute(p, ctx)
    .then((out): ProviderResult => ({ provider: p.name, status: 'ok', evidence: out.evidence, ...(out.files?.length ? { files: out.files } : {}) }))
    .catch((err: unknown) => {
      deps.log.warn('enrichment provider failed', { provider: p.name, findingId: signal.id, error: errorMessage(err), awsRequestId: err instanceof AwsCallError ? err.requestId : undefined });
      return unavailable(p.name, reasonOf(err));
    });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function execute(p: Provider, ctx: Parameters<Provider['run']>[0]) {
  const key = p.cacheKey?.(ctx.signal);
  if (key === undefined || p.ttlSeconds <= 0) return p.run(ctx);
  return cached(ctx.deps, cacheKey(ctx.deps, 'provider', p.name, key), p.ttlSeconds, () => p.run(ctx));
}

function unavailable(provider: string, reason: string): ProviderResult {
  return { provider, status: 'unavailable', reason, evidence: [] };
}

function reasonOf(err: unknown): string {
  if (err instanceof AwsCallError) return `${err.kind}: ${err.operation}${err.requestId ? ` (request ${err.requestId})` : ''}`;
  if (err instanceof BudgetExceededError) return err.message;
  return errorMessage(err);
}
