/**
 * Per-account AWS clients. A client is built once per service, account and
 * region and asks the credential cache each time the SDK wants an identity,
 * so an expiring role session is renewed without rebuilding clients.
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { InputError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { systemClock, type Clock } from './clock.js';
import { CredentialCache, type AccountAccess } from './credentials.js';
import { TokenBucketLimiter } from './limiter.js';

export interface ClientConfig {
  region: string;
  credentials?: () => Promise<AwsCredentialIdentity>;
  maxAttempts: number;
}

/** Any SDK v3 client class: we only need its constructor. */
export type ClientClass<T> = new (config: ClientConfig) => T;

export interface AwsAccessOptions {
  accounts: AccountAccess[];
  log: Logger;
  clock?: Clock;
  /** Allow accounts not listed (the default chain); true when Picket watches a single account. */
  allowUnlisted?: boolean;
  stsRegion?: string;
  /** Static credentials for every client, e.g. in tests; skips STS and the default chain. */
  staticCredentials?: AwsCredentialIdentity;
}

export class AwsAccess {
  readonly log: Logger;
  readonly clock: Clock;
  /** CloudTrail LookupEvents: 2 requests per second per account and region. */
  readonly lookupLimiter: TokenBucketLimiter;
  private readonly accounts: Map<string, AccountAccess>;
  private readonly credentials: CredentialCache;
  private readonly clients = new Map<string, unknown>();

  constructor(private readonly options: AwsAccessOptions) {
    this.log = options.log.child({ component: 'aws' });
    this.clock = options.clock ?? systemClock;
    this.accounts = new Map(options.accounts.map((a) => [a.accountId, a]));
    this.lookupLimiter = new TokenBucketLimiter({ ratePerSecond: 2, burst: 1, clock: this.clock });
    const stsRegion = options.stsRegion ?? 'us-east-1';
    this.credentials = new CredentialCache({ sts: () => this.stsClient(stsRegion), log: options.log, clock: this.clock });
  }

  canReach(accountId: string | undefined): accountId is string {
    if (!accountId) return false;
    return this.accounts.has(accountId) || this.options.allowUnlisted === true;
  }

  /** A client for one service in one account and region. */
  client<T>(ctor: ClientClass<T>, accountId: string, region: string): T {
    if (!this.canReach(accountId)) throw new InputError(`account ${accountId} is not configured for AWS access`, { code: 'AWS_ACCOUNT_UNKNOWN' });
    const key = `${ctor.name}|${accountId}|${region}`;
    const existing = this.clients.get(key);
    if (existing) return existing as T;

    const client = new ctor({ region, maxAttempts: 1, ...this.credentialsFor(accountId) });
    this.clients.set(key, client);
    return client;
  }

  private credentialsFor(accountId: string): { credentials?: () => Promise<AwsCredentialIdentity> } {
    const fixed = this.options.staticCredentials;
    if (fixed) return { credentials: async () => fixed };
    const account = this.accounts.get(accountId);
    if (!account?.roleArn) return {};
    return {
      credentials: async () => {
        const creds = await this.credentials.get(account);
        if (!creds) throw new InputError(`no role for account ${accountId}`);
        return creds;
      },
    };
  }

  private stsClient(region: string): STSClient {
    const key = `STS-host|${region}`;
    const existing = this.clients.get(key);
    if (existing instanceof STSClient) return existing;
    const fixed = this.options.staticCredentials;
    const client = new STSClient({ region, maxAttempts: 3, ...(fixed ? { credentials: fixed } : {}) });
    this.clients.set(key, client);
    return client;
  }
}

/** Turn the tenants' account config into access entries. */
export function accountsFromConfig(tenants: { accounts: { id: string; role_arn?: string; external_id?: string }[] }[]): AccountAccess[] {
  return tenants.flatMap((t) => t.accounts.map((a) => ({ accountId: a.id, roleArn: a.role_arn, externalId: a.external_id })));
}
