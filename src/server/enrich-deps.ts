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
