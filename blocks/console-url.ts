/**
 * The GuardDuty console deep link. The URL is assembled only from values that
 * pass strict patterns, so untrusted finding text can never steer the link
 * anywhere else. When in doubt, there is simply no button.
 */
import type { Signal } from '../src/model/signal.js';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const FINDING_ID = /^[A-Za-z0-9_-]{1,256}$/;

/** Console host suffix per partition; partitions without a public console are absent. */
const CONSOLE_HOSTS: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
};

/** The partition a region belongs to, for signals that did not state one. */
function partitionOfRegion(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

function consoleHost(partition: unknown, region: string): string | undefined {
  const name = typeof partition === 'string' && partition !== '' ? partition : partitionOfRegion(region);
  if (name !== partitionOfRegion(region)) return undefined;
  return Object.hasOwn(CONSOLE_HOSTS, name) ? CONSOLE_HOSTS[name] : undefined;
}

export function guardDutyConsoleUrl(signal: Signal): string | undefined {
  if (signal.source !== 'guardduty') return undefined;

  const { id, region } = signal;
  if (typeof id !== 'string' || !FINDING_ID.test(id)) return undefined;
  if (typeof region !== 'string' || !REGION.test(region)) return undefined;

  const host = consoleHost(signal.partition, region);
  if (host === undefined) return undefined;
  return `https://${region}.${host}/guardduty/home?region=${region}#/findings?macros=current&fId=${id}`;
}
