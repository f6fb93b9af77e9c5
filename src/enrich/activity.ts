/**
 * Turns a principal's CloudTrail events into what an analyst reads first:
 * which calls and how often, how many were denied, from where and with what
 * client, and which calls change who can do what.
 */
import type { GeoLookup } from '../geo/lookup.js';
import type { CloudTrailEventSummary } from './cloudtrail.js';

/** Calls that change identity, logging or detection, or mint credentials. */
const HIGH_RISK = [
  /^iam:(Create|Delete|Put|Attach|Detach|Update|Add|Remove|Set|Upload|Change|Deactivate|Enable)/,
  /^cloudtrail:(StopLogging|DeleteTrail|UpdateTrail|PutEventSelectors|PutInsightSelectors)$/,
  /^guardduty:(Delete|Disassociate|Update|Stop|Create(Filter|IPSet)|UpdateIPSet|ArchiveFindings)/,
  /^(iam:CreateAccessKey|sts:GetFederationToken|iam:CreateLoginProfile)$/,
  /^organizations:LeaveOrganization$/,
  /^kms:(ScheduleKeyDeletion|DisableKey)$/,
];

export interface ActivitySummary {
  total: number;
  calls: { name: string; count: number }[];
  denied: number;
  errorRate: number;
  sourceIps: { ip: string; count: number; where: string; asn?: number }[];
  userAgents: { agent: string; count: number }[];
  highRisk: { name: string; count: number }[];
}

export function apiName(e: CloudTrailEventSummary): string {
  return `${e.eventSource.replace(/\.amazonaws\.com$/, '')}:${e.eventName}`;
}

export function isDenied(e: CloudTrailEventSummary): boolean {
  return /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i.test(e.errorCode ?? '');
}

function countBy<T>(items: T[], keyOf: (item: T) => string | undefined): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function summarizeActivity(events: CloudTrailEventSummary[], geo: GeoLookup): ActivitySummary {
  const denied = events.filter(isDenied).length;
  const calls = countBy(events, apiName).map(({ key, count }) => ({ name: key, count }));
  return {
    total: events.length,
    calls,
    denied,
    errorRate: events.length === 0 ? 0 : denied / events.length,
    sourceIps: countBy(events, (e) => e.sourceIp).map(({ key, count }) => {
      const info = geo.lookup(key);
      const where = info?.special ? `${info.special} address` : [info?.country, info?.asn !== undefined ? `AS${info.asn} ${info.asnOrg ?? ''}`.trim() : undefined].filter((p) => p).join(' · ') || 'unknown';
      return { ip: key, count, where, ...(info?.asn !== undefined ? { asn: info.asn } : {}) };
    }),
    userAgents: countBy(events, (e) => e.userAgent).map(({ key, count }) => ({ agent: key, count })),
    highRisk: calls.filter((c) => HIGH_RISK.some((re) => re.test(c.name))),
  };
}

/** The full event list for the alert thread, one event per line. */
export function eventsCsv(events: CloudTrailEventSummary[]): string {
  const cell = (v: string | undefined) => `"${(v ?? '').replace(/"/g, '""')}"`;
  const header = 'eventTime,api,sourceIp,userAgent,errorCode,eventId';
  const rows = events.map((e) => [e.eventTime, apiName(e), e.sourceIp, e.userAgent, e.errorCode, e.eventId].map(cell).join(','));
  return [header, ...rows].join('\n') + '\n';
}
