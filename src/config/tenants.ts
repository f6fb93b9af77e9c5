import type { PicketConfig, TenantConfig } from './schema.js';

/** Who owns an account, and where its cards go. */
export interface Destination {
  tenant?: TenantConfig;
  /** The SOC channel for this tenant (its own or the global one). */
  socChannel: string;
  /** The customer's channel for DUETs; falls back to the SOC channel. */
  customerChannel: string;
}

export interface TenantIndex {
  forAccount(accountId: string | undefined): Destination;
  byId(id: string): TenantConfig | undefined;
}

export function indexTenants(config: PicketConfig): TenantIndex {
  const byAccount = new Map<string, TenantConfig>();
  for (const tenant of config.tenants) {
    for (const account of tenant.accounts) byAccount.set(account.id, tenant);
  }

  const destination = (tenant: TenantConfig | undefined): Destination => {
    const socChannel = tenant?.soc_channel ?? config.soc_channel;
    return { tenant, socChannel, customerChannel: tenant?.customer_channel ?? socChannel };
  };

  return {
    forAccount: (accountId) => destination(accountId ? byAccount.get(accountId) : undefined),
    byId: (id) => config.tenants.find((t) => t.id === id),
  };
}
