import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../core/errors.js';
import { LogField, type Logger } from '../core/log.js';
import { enrichSignal } from '../enrich/run.js';
import { recordAlert } from '../enrich/similar.js';
import type { ProviderFile, ProviderResult } from '../enrich/types.js';
import type { Triaged } from '../pipeline/triage.js';
import type { DeliveryAction } from '../queue/stats.js';
import { alertIdFor } from '../respond/alerts.js';
import type { ResponseContext } from '../respond/context.js';
import { refreshCard } from '../respond/slack-out.js';
import type { AlertRecord, EnrichmentStatus } from '../respond/types.js';
import type { ServeEnrichDeps } from './enrich-deps.js';
import type { Permalinks } from './permalink.js';

/**
 * The step after a new card is posted: index it for "similar alerts", gather
 * the evidence (bounded by the deadline: a provider that fails or overruns
 * comes back unavailable with its reason), keep it on the alert record,
 * redraw the card with it, and put the providers' files in the thread. The
 * card already stands; every failure here is logged and the rest goes on.
 */

export const ENRICH_DEADLINE_MS = 10_000;

export interface EnrichStepDeps {
  enrich: ServeEnrichDeps;
  response: ResponseContext;
  permalinks: Permalinks;
  log: Logger;
  deadlineMs?: number;
}

export type AfterDelivery = (triaged: Triaged, action: DeliveryAction) => Promise<void>;

export function createEnrichStep(deps: EnrichStepDeps): AfterDelivery {
  return async (triaged, action) => {
    const { signal, cardKey } = triaged;
    if (action !== 'posted' || !signal || !cardKey || (triaged.outcome !== 'alert' && triaged.outcome !== 'duet')) return;
    const alert = await deps.response.alerts.get(alertIdFor(cardKey));
    if (!alert) {
      deps.log.warn('no alert record for a posted card; it stays unenriched', { cardKey });
      return;
    }
    await attempt(deps, 'similar-alert index', alert, () => index(deps, triaged, alert));

    const results = await enrichSignal(signal, deps.enrich, { deadlineMs: deps.deadlineMs ?? ENRICH_DEADLINE_MS, tenantId: triaged.tenantId });
    const stored = await attempt(deps, 'storing evidence', alert, () => store(deps.response, alert, results));
    if (stored) await attempt(deps, 'redrawing the card with evidence', alert, () => refreshCard(deps.response, stored));
    for (const file of results.flatMap((r) => r.files ?? [])) {
      await attempt(deps, `uploading ${file.name}`, alert, () => upload(deps.response.deps.slack, alert, file));
    }
    deps.log.info('card enriched', { alertId: alert.id, [LogField.findingId]: signal.id, providers: results.map((r) => `${r.provider}:${r.status}`).join(' ') });
  };
}

async function index(deps: EnrichStepDeps, triaged: Triaged, alert: AlertRecord): Promise<void> {
  const permalink = await deps.permalinks.of(alert.channel, alert.ts);
  await recordAlert(triaged, deps.enrich, permalink ? { permalink } : {});
}

async function store(ctx: ResponseContext, alert: AlertRecord, results: ProviderResult[]): Promise<AlertRecord | undefined> {
  const evidence = results.flatMap((r) => r.evidence);
  const enrichment = results.map(statusOf);
  return ctx.alerts.update(alert.id, (current) => ({ ...current, evidence, enrichment }));
}

function statusOf(r: ProviderResult): EnrichmentStatus {
  return r.reason === undefined ? { provider: r.provider, status: r.status } : { provider: r.provider, status: r.status, reason: r.reason };
}

/** Text goes up as content; binary (the timeline PNG) as a file buffer. */
async function upload(slack: WebClient, alert: AlertRecord, file: ProviderFile): Promise<void> {
  const common = { channel_id: alert.channel, thread_ts: alert.ts, filename: file.name, title: file.title };
  if (typeof file.content === 'string') await slack.filesUploadV2({ ...common, content: file.content });
  else await slack.filesUploadV2({ ...common, file: file.content });
}

async function attempt<T>(deps: EnrichStepDeps, what: string, alert: AlertRecord, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    deps.log.warn(`enrichment: ${what} failed; the card stands as posted`, { alertId: alert.id, [LogField.error]: errorMessage(err) });
    return undefined;
  }
}
