import { IAMClient } from '@aws-sdk/client-iam';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AwsAccess } from '../aws/access.js';
import { iamRegionFor } from './enrich-deps.js';
import type { PicketConfig } from '../config/schema.js';
import type { ResponseConfig } from '../config/response-schema.js';
import { indexTenants } from '../config/tenants.js';
import { LogField, type Logger } from '../core/log.js';
import type { RuleSet } from '../detect/ruleset.js';
import { investigate } from '../enrich/investigate.js';
import type { EnrichDeps } from '../enrich/types.js';
import { workerConnection } from '../queue/redis.js';
import type { Runtime } from '../queue/runtime.js';
import { createActionsQueue, createActionsWorker, createSuppressionMatcher, createSuppressionStore, type ResponseDeps, type SuppressionMatcher } from '../respond/index.js';
import { every } from '../sources/schedule.js';
import { cloudTrailQueryFn } from './cloudtrail-query.js';

/**
 * The response side as `serve` runs it: its deps (Slack client, IAM through
 * the account's role, investigations and CloudTrail queries from
 * enrichment), the `actions` queue and its worker, and the suppression
 * matcher the triage step consults, refreshed from Redis every minute.
 */

export const SUPPRESSION_REFRESH_MS = 60_000;

export interface ResponseSetup {
  runtime: Runtime;
  config: PicketConfig;
  log: Logger;
  token: string;
  slackApiUrl?: string;
  aws: AwsAccess;
  /** Remediation's own access (its role per account); defaults to `aws`. */
  remediation?: AwsAccess;
  enrich: EnrichDeps;
  rules: RuleSet;
  /** Tests allow their loopback response_url host; production keeps Slack's own. */
  responseUrlAllowed?: (url: string) => boolean;
}

export interface ResponseSide {
  deps: ResponseDeps;
  matcher: SuppressionMatcher;
  close(): Promise<void>;
}

export async function startResponse(setup: ResponseSetup): Promise<ResponseSide> {
  const { runtime, log } = setup;
  const matcher = createSuppressionMatcher(createSuppressionStore(runtime.redis, runtime.settings.prefix), indexTenants(setup.config));
  // Before anything is opened: a start-up that cannot read the suppressions leaves nothing behind.
  await matcher.refresh();
  const refresh = () => matcher.refresh().catch((err: unknown) => log.warn('suppression refresh failed; the last list stays in force', { [LogField.error]: err }));
  const refresher = every(SUPPRESSION_REFRESH_MS, refresh);

  const queueConnection = workerConnection(runtime.settings.redisUrl);
  const queue = createActionsQueue(queueConnection, runtime.settings.prefix);
  queue.on('error', (err) => log.warn('actions queue error', { [LogField.error]: err }));
  const deps = responseDeps(setup, queue);

  const workerRedis = workerConnection(runtime.settings.redisUrl);
  const worker: Worker = createActionsWorker(deps, { connection: workerRedis });
  return {
    deps,
    matcher,
    close: async () => {
      await refresher.stop();
      await worker.close();
      await queue.close();
      disconnect(workerRedis, queueConnection);
    },
  };
}

function responseDeps(setup: ResponseSetup, queue: Queue): ResponseDeps {
  const { config, aws, enrich } = setup;
  const tenants = indexTenants(config);
  return {
    redis: setup.runtime.redis,
    prefix: setup.runtime.settings.prefix,
    queue,
    slack: new WebClient(setup.token, responseClientOptions(setup.slackApiUrl)),
    log: setup.log.child({ component: 'respond' }),
    config,
    responseFor: (tenantId): ResponseConfig | undefined => (tenantId ? tenants.byId(tenantId)?.response : config.response),
    iamFor: async (accountId) => (setup.remediation ?? aws).client(IAMClient, accountId, iamRegionFor(config, accountId)),
    investigate: (req, onProgress) => investigate(req, enrich, onProgress),
    queryCloudTrail: cloudTrailQueryFn(enrich),
    rules: setup.rules,
    ...(setup.responseUrlAllowed ? { responseUrlAllowed: setup.responseUrlAllowed } : {}),
  };
}

/**
 * Jobs post and redraw outside the card sink's channel limiter, so this
 * client waits out a 429's Retry-After itself, a few times, and then lets
 * the job fail and retry.
 */
export function responseClientOptions(slackApiUrl?: string): WebClientOptions {
  return { retryConfig: { retries: 3, factor: 2, minTimeout: 500 }, ...(slackApiUrl ? { slackApiUrl } : {}) };
}

function disconnect(...connections: Redis[]): void {
  for (const c of connections) c.disconnect();
}
