import type { Decision } from '../model/decision.js';
import type { Signal } from '../model/signal.js';

/**
 * Which Slack message a signal belongs to.
 *
 * A GuardDuty finding is its own message, so updates edit it. Findings about
 * an IAM principal calling a global service (IAM, STS, sign-in, Organizations)
 * are reported in every region the call was seen from: they share one card
 * per account, type and principal. A CloudTrail match folds by the rule's
 * dedup key when the rule declares one.
 */
const GLOBAL_SERVICES = new Set([
  'iam.amazonaws.com',
  'sts.amazonaws.com',
  'signin.amazonaws.com',
  'organizations.amazonaws.com',
  'account.amazonaws.com',
]);

export function cardKeyFor(signal: Signal, decision: Decision): string {
  if (signal.source === 'cloudtrail') {
    const lead = decision.hits[0];
    const account = signal.accountId ?? 'unknown';
    return lead?.dedupKey ? `ct:${account}:${lead.ruleId}:${lead.dedupKey}` : `ct:${account}:${signal.id}`;
  }
  if (isGlobalFinding(signal)) {
    const principal = signal.actor?.accessKeyId ?? signal.actor?.principalId ?? signal.actor?.userName ?? 'unknown';
    return `gd-global:${signal.accountId ?? 'unknown'}:${signal.type}:${principal}`;
  }
  return `gd:${signal.accountId ?? 'unknown'}:${signal.id}`;
}

function isGlobalFinding(signal: Signal): boolean {
  if (signal.source !== 'guardduty' || signal.resource.type !== 'AccessKey') return false;
  return signal.serviceName !== undefined && GLOBAL_SERVICES.has(signal.serviceName);
}
