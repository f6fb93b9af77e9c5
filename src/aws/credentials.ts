/**
 * Credentials per member account: AssumeRole with the configured external id,
 * kept until shortly before they expire so each account and role costs one
 * STS call per ~50 minutes. Accounts without a role use the default chain.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { RetryLaterError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { systemClock, type Clock } from './clock.js';
import { awsRequestId, classifyAwsError } from './errors.js';

export interface AccountAccess {
  accountId: string;
  roleArn?: string;
  externalId?: string;
}

export interface CredentialCacheOptions {
  sts: () => STSClient;
  log: Logger;
  clock?: Clock;
  sessionName?: string;
  durationSeconds?: number;
  /** Refresh this long before expiry; with one-hour sessions that is a refresh every ~50 minutes. */
  refreshBeforeMs?: number;
}

interface Entry {
  credentials: AwsCredentialIdentity;
  refreshAt: number;
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<AwsCredentialIdentity>>();
  private readonly clock: Clock;

  constructor(private readonly options: CredentialCacheOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Credentials for the account's role, or undefined when the default chain applies. */
  async get(account: AccountAccess): Promise<AwsCredentialIdentity | undefined> {
    if (!account.roleArn) return undefined;
    const key = `${account.roleArn}|${account.externalId ?? ''}`;
    const cached = this.entries.get(key);
    if (cached && cached.refreshAt > this.clock.now()) return cached.credentials;

    const pending = this.inflight.get(key);
    if (pending) return pending;
    const fresh = this.assume(account, key).finally(() => this.inflight.delete(key));
    this.inflight.set(key, fresh);
    return fresh;
  }

  private async assume(account: AccountAccess, key: string): Promise<AwsCredentialIdentity> {
    const input = {
      RoleArn: account.roleArn,
      RoleSessionName: this.options.sessionName ?? 'picket-enrichment',
      DurationSeconds: this.options.durationSeconds ?? 3600,
      ...(account.externalId ? { ExternalId: account.externalId } : {}),
    };
    const log = this.options.log.child({ component: 'aws-credentials', accountId: account.accountId });
    try {
      const out = await this.options.sts().send(new AssumeRoleCommand(input));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) throw new Error('AssumeRole returned no credentials');
      const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      const refreshAt = c.Expiration.getTime() - (this.options.refreshBeforeMs ?? 10 * 60_000);
      this.entries.set(key, { credentials, refreshAt });
      log.info('assumed role', { roleArn: account.roleArn, awsRequestId: out.$metadata.requestId, expiresAt: c.Expiration.toISOString() });
      return credentials;
    } catch (err) {
      log.warn('AssumeRole failed', { roleArn: account.roleArn, awsRequestId: awsRequestId(err), class: classifyAwsError(err), error: err });
      throw new RetryLaterError(`cannot assume ${account.roleArn}: ${classifyAwsError(err)}`, { cause: err, code: 'AWS_ASSUME_ROLE' });
    }
  }
}
