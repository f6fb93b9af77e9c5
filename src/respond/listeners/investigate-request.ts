import type { InvestigateKind } from '../deps.js';
import type { AlertRecord } from '../types.js';

/**
 * The entity an alert's Investigate button looks into, and the window: from
 * a day before the finding was first seen until now, capped at the 90 days
 * CloudTrail event history keeps.
 */

const DAY_MS = 24 * 3600 * 1000;
export const MAX_WINDOW_MS = 90 * DAY_MS;

export function investigationFor(alert: AlertRecord, now: Date) {
  const { signal } = alert;
  const [kind, id] = entityOf(alert);
  const first = Date.parse(signal.firstSeen ?? '') || now.getTime() - DAY_MS;
  const since = new Date(Math.max(first - DAY_MS, now.getTime() - MAX_WINDOW_MS));
  return {
    kind,
    id,
    // The account the alert was routed by: the actor's may be another tenant's (a cross-account caller).
    accountId: signal.accountId ?? '',
    region: signal.region ?? 'us-east-1',
    since: since.toISOString(),
    until: now.toISOString(),
  };
}

function entityOf(alert: AlertRecord): [InvestigateKind, string] {
  const { signal } = alert;
  const actor = signal.actor;
  if (actor?.accessKeyId) return ['key', actor.accessKeyId];
  if (actor?.userName) return ['user', actor.userName];
  if (actor?.roleName) return ['role', actor.roleName];
  if (signal.resource.type === 'Instance' && signal.resource.id) return ['instance', signal.resource.id];
  if (signal.resource.type === 'RDSDBInstance' && signal.resource.id) return ['db', signal.resource.id];
  return ['finding', signal.id];
}
