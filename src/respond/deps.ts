import type { IAMClient } from '@aws-sdk/client-iam';
import type { WebClient } from '@slack/web-api';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ResponseConfig } from '../config/response-schema.js';
import type { PicketConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { RuleSet } from '../detect/ruleset.js';
import type { GroupSource } from './roles.js';

/**
 * Everything the response side needs from the rest of Picket, injected so
 * each piece can be tested alone. Investigations and CloudTrail queries are
 * the enrichment module's; they arrive here as plain functions.
 */

export const INVESTIGATE_KINDS = ['user', 'role', 'key', 'instance', 'db', 'ip', 'finding'] as const;
export type InvestigateKind = (typeof INVESTIGATE_KINDS)[number];

export interface InvestigateRequest {
  kind: InvestigateKind;
  id: string;
  accountId: string;
  region: string;
  since: Date;
  until: Date;
}

export interface InvestigationResult {
  results: unknown[];
  summaryLines: string[];
  files: { name: string; content: Buffer | string; title: string }[];
}

export type InvestigateFn = (req: InvestigateRequest, onProgress?: (step: string) => void) => Promise<InvestigationResult>;

export interface CloudTrailQuery {
  accountId: string;
  region: string;
  /** A LookupEvents attribute: Username, AccessKeyId, EventName, ResourceName, EventSource... */
  attribute: { key: string; value: string };
  since: Date;
  until: Date;
  maxResults: number;
}

export interface CloudTrailRow {
  eventId?: string;
  eventTime?: string;
  eventName?: string;
  eventSource?: string;
  username?: string;
  sourceIp?: string;
  errorCode?: string;
}

export type QueryCloudTrailFn = (req: CloudTrailQuery) => Promise<{ events: CloudTrailRow[]; truncated?: boolean }>;

export interface ResponseDeps {
  redis: Redis;
  /** The install's key prefix (PICKET_QUEUE_PREFIX); response keys live under `<prefix>:respond:`. */
  prefix: string;
  /** The BullMQ `actions` queue (see createActionsQueue). */
  queue: Queue;
  /** The worker's Slack client; listeners use the client Bolt hands them. */
  slack: WebClient;
  log: Logger;
  config: PicketConfig;
  /** The tenant's `response:` settings; undefined means nobody may act on its alerts. */
  responseFor(tenantId: string | undefined): ResponseConfig | undefined;
  /** An IAM client in the member account, through the remediation role. */
  iamFor(accountId: string): Promise<IAMClient>;
  investigate: InvestigateFn;
  queryCloudTrail: QueryCloudTrailFn;
  /** The loaded rules, for /detections and App Home. */
  rules?: RuleSet;
  /** Defaults to Slack user groups read through `slack`, cached in Redis. */
  groups?: GroupSource;
  now?: () => Date;
  auditRetentionDays?: number;
  /** Which response_url hosts replies may go to; default https://hooks.slack.com/ only. */
  responseUrlAllowed?: (url: string) => boolean;
  /** An investigation that runs longer is reported as timed out. Default 120 s. */
  investigationTimeoutMs?: number;
}
