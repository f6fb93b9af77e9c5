import type { Redis } from 'ioredis';
import { AwsAccess, accountsFromConfig } from '../aws/access.js';
import type { PicketConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import { defaultOfflineDeps, type OfflineDeps } from '../enrich/offline.js';
import type { EnrichDeps } from '../enrich/types.js';
import { thirdPartyFromEnv } from '../intel/third-party/adapter.js';

/**
 * What enrichment runs with in `serve`: offline intel and geo, AWS access to
 * every configured account, the Redis cache under the install's prefix, and
 * the third-party adapters whose API keys are set.
 */

export interface EnrichSetup {
  config: PicketConfig;
  redis: Redis;
  prefix: string;
  log: Logger;
  /** Default: intel from PICKET_INTEL_PATHS (or the bundled folder) and the offline geo tables. */
  offline?: OfflineDeps;
  /** Default: built from the tenants' accounts (see awsAccessFor). */
  aws?: AwsAccess;
  env?: NodeJS.ProcessEnv;
}

export type ServeEnrichDeps = EnrichDeps & { redis: Redis; aws: AwsAccess };

export function enrichDepsFor(setup: EnrichSetup): ServeEnrichDeps {
  const log = setup.log.child({ component: 'enrich' });
  const offline = setup.offline ?? defaultOfflineDeps();
  return {
    intel: offline.intel,
    geo: offline.geo,
    log,
    aws: setup.aws ?? awsAccessFor(setup.config, log),
    redis: setup.redis,
    prefix: setup.prefix,
    thirdParty: thirdPartyFromEnv(setup.env ?? process.env),
  };
}

/**
 * One role per configured account (assumed with its external id); with no
 * tenants at all Picket watches the account its own credentials belong to,
 * so any account id is let through to the default credential chain.
 */
export function awsAccessFor(config: PicketConfig, log: Logger): AwsAccess {
  return new AwsAccess({ accounts: accountsFromConfig(config.tenants), log, allowUnlisted: config.tenants.length === 0 });
}

/**
 * Remediation writes (UpdateAccessKey, PutRolePolicy) go through their own
 * role where the account names one, so the read-only role that enrichment
 * uses on every finding never holds write permissions.
 */
export function remediationAccessFor(config: PicketConfig, log: Logger): AwsAccess {
  const accounts = config.tenants.flatMap((t) =>
    t.accounts.map((a) => ({ accountId: a.id, roleArn: a.remediation_role_arn ?? a.role_arn, externalId: a.external_id })),
  );
  return new AwsAccess({ accounts, log: log.child({ component: 'remediation' }), allowUnlisted: config.tenants.length === 0 });
}

/** IAM is global: its endpoint lives in the home region of the account's partition. */
export function iamRegionFor(config: PicketConfig, accountId: string): string {
  const region = config.tenants.flatMap((t) => t.accounts).find((a) => a.id === accountId)?.regions[0] ?? 'us-east-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  if (region.startsWith('cn-')) return 'cn-north-1';
  return 'us-east-1';
}
