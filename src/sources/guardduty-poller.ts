import { GetFindingsCommand, GuardDutyClient, ListDetectorsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Redis } from 'ioredis';
import type { PicketConfig } from '../config/schema.js';
import { LogField, type Logger } from '../core/log.js';
import type { ReadItem } from '../model/item.js';
import { withTimeout, type Enqueuer } from '../queue/enqueue.js';
import { keys } from '../queue/settings.js';

/**
 * The pull side, for accounts without EventBridge wiring: for each tenant
 * account and region, list findings updated since the cursor (oldest first),
 * fetch them 50 at a time, enqueue, and only then move the cursor. The cursor
 * is inclusive, so the last finding is seen again next time and de-duplicated
 * by its job id rather than risk skipping one updated in the same millisecond.
 */

export interface PollTarget {
  tenantId: string;
  accountId: string;
  region: string;
  roleArn?: string;
  externalId?: string;
}

export interface PollerDeps {
  redis: Redis;
  prefix: string;
  enqueuer: Enqueuer;
  read: (data: string, file: string) => ReadItem[];
  log: Logger;
  clientFor: (target: PollTarget) => GuardDutyClient;
  now?: () => Date;
  /** How far back the first poll of a target looks. */
  initialLookbackMs?: number;
  writeTimeoutMs?: number;
}

export interface PollResult {
  target: string;
  listed: number;
  enqueued: number;
  duplicate: number;
  rejected: number;
  cursor?: number;
}

export const GET_FINDINGS_BATCH = 50;

export function pollTargets(config: PicketConfig): PollTarget[] {
  return config.tenants.flatMap((tenant) =>
    tenant.accounts.flatMap((account) =>
      account.regions.map((region) => ({ tenantId: tenant.id, accountId: account.id, region, roleArn: account.role_arn, externalId: account.external_id })),
    ),
  );
}

export async function pollTarget(target: PollTarget, deps: PollerDeps): Promise<PollResult> {
  const name = `${target.accountId}/${target.region}`;
  const result: PollResult = { target: name, listed: 0, enqueued: 0, duplicate: 0, rejected: 0 };
  const client = deps.clientFor(target);
  const detectorId = (await client.send(new ListDetectorsCommand({}))).DetectorIds?.[0];
  if (!detectorId) {
    deps.log.warn('no GuardDuty detector in this account/region', { target: name });
    return result;
  }

  const cursorKey = keys(deps.prefix).cursor(target.accountId, target.region);
  const since = Number((await deps.redis.get(cursorKey)) ?? nowMs(deps) - (deps.initialLookbackMs ?? 24 * 3600_000));
  const ids = await listUpdatedSince(client, detectorId, since);
  result.listed = ids.length;

  for (let i = 0; i < ids.length; i += GET_FINDINGS_BATCH) {
    const batch = ids.slice(i, i + GET_FINDINGS_BATCH);
    const findings = (await client.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: batch }))).Findings ?? [];
    const plain = JSON.stringify({ Findings: findings });
    const counts = await withTimeout(deps.enqueuer.enqueue(deps.read(plain, `poller:${name}`), { raw: plain }), deps.writeTimeoutMs ?? 10_000);
    result.enqueued += counts.enqueued;
    result.duplicate += counts.duplicate;
    result.rejected += counts.rejected;
    result.cursor = await advanceCursor(deps.redis, cursorKey, findings);
  }
  deps.log.info('polled GuardDuty', { ...result });
  return result;
}

async function listUpdatedSince(client: GuardDutyClient, detectorId: string, since: number): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListFindingsCommand({
        DetectorId: detectorId,
        FindingCriteria: { Criterion: { updatedAt: { GreaterThanOrEqual: since } } },
        SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'ASC' },
        MaxResults: 50,
        NextToken: token,
      }),
    );
    ids.push(...(page.FindingIds ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return ids;
}

/** The newest updatedAt in a batch that is now safely queued; the cursor never moves back. */
async function advanceCursor(redis: Redis, key: string, findings: Array<{ UpdatedAt?: string }>): Promise<number | undefined> {
  const newest = Math.max(...findings.map((f) => Date.parse(f.UpdatedAt ?? '')).filter(Number.isFinite));
  if (!Number.isFinite(newest)) return undefined;
  const current = Number((await redis.get(key)) ?? 0);
  const next = Math.max(current, newest);
  await redis.set(key, String(next));
  return next;
}

function nowMs(deps: PollerDeps): number {
  return (deps.now?.() ?? new Date()).getTime();
}

/** Poll every target; one account's failure is logged and does not stop the others. */
export async function pollAll(targets: PollTarget[], deps: PollerDeps): Promise<PollResult[]> {
  const results: PollResult[] = [];
  for (const target of targets) {
    try {
      results.push(await pollTarget(target, deps));
    } catch (err) {
      const requestId = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
      deps.log.error('GuardDuty poll failed', { target: `${target.accountId}/${target.region}`, [LogField.requestId]: requestId, [LogField.error]: err });
    }
  }
  return results;
}

/**
 * A client per target: the default credential chain, or a role in the
 * member account assumed with its external id (the SDK calls the provider
 * again when the session nears expiry).
 */
export function guardDutyClientFor(target: PollTarget, stsFor: (region: string) => STSClient = (region) => new STSClient({ region })): GuardDutyClient {
  if (!target.roleArn) return new GuardDutyClient({ region: target.region });
  return new GuardDutyClient({ region: target.region, credentials: assumeRoleCredentials(target.roleArn, target.externalId, stsFor(target.region)) });
}

export function assumeRoleCredentials(roleArn: string, externalId: string | undefined, sts: STSClient) {
  return async () => {
    const reply = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'picket-guardduty-poller', ExternalId: externalId, DurationSeconds: 3600 }));
    const c = reply.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
}

/** One client per account and region, kept across polls so an assumed role is reused until it nears expiry. */
export function cachedClients(make: (target: PollTarget) => GuardDutyClient = (target) => guardDutyClientFor(target)): (target: PollTarget) => GuardDutyClient {
  const clients = new Map<string, GuardDutyClient>();
  return (target) => {
    const key = `${target.accountId}/${target.region}/${target.roleArn ?? ''}`;
    let client = clients.get(key);
    if (!client) clients.set(key, (client = make(target)));
    return client;
  };
}
