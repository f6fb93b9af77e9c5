/** Every Redis key the response side writes, under the install's prefix. */
export function respondKeys(prefix: string) {
  const base = `${prefix}:respond`;
  return {
    alert: (alertId: string) => `${base}:alert:${alertId}`,
    alertLock: (alertId: string) => `${base}:alert-lock:${alertId}`,
    escalationLock: (duetId: string) => `${base}:escalation-lock:${duetId}`,
    byFinding: (findingId: string) => `${base}:finding:${findingId}`,
    open: (tenant: string) => `${base}:open:${tenant}`,
    waiting: (tenant: string) => `${base}:duet-waiting:${tenant}`,
    tenants: `${base}:tenants`,
    audit: `${base}:audit`,
    auditFor: (alertId: string) => `${base}:audit:alert:${alertId}`,
    auditTenant: (tenant: string) => `${base}:audit:tenant:${tenant}`,
    idem: (key: string) => `${base}:idem:${key}`,
    approval: (id: string) => `${base}:approval:${id}`,
    suppressions: `${base}:suppressions`,
    groupMembers: (groupId: string) => `${base}:group:${groupId}`,
  };
}

export type RespondKeys = ReturnType<typeof respondKeys>;

/** Alerts of accounts no tenant owns are filed under this tenant key. */
export const NO_TENANT = '_';
