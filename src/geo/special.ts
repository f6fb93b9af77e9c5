/**
 * Addresses that no geo database should answer for: private, loopback,
 * link-local, CGNAT, documentation and AWS-internal ones. They get a label
 * instead of a misleading country.
 */
import { cidrContains, parseCidr, type Cidr } from './ip.js';

export type SpecialKind = 'private' | 'loopback' | 'link-local' | 'cgnat' | 'documentation' | 'aws-internal' | 'unspecified' | 'multicast';

const RANGES: [string, SpecialKind][] = [
  ['169.254.169.254/32', 'aws-internal'],
  ['169.254.169.253/32', 'aws-internal'],
  ['169.254.169.123/32', 'aws-internal'],
  ['fd00:ec2::/32', 'aws-internal'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['100.64.0.0/10', 'cgnat'],
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['2001:db8::/32', 'documentation'],
  ['ff00::/8', 'multicast'],
];

const PARSED: [Cidr, SpecialKind][] = RANGES.map(([text, kind]) => {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`bad built-in range ${text}`);
  return [cidr, kind];
});

/** CloudTrail puts a service name or "AWS Internal" where an IP would be when AWS itself called. */
const AWS_SOURCE = /^(AWS Internal|[a-z0-9.-]+\.amazonaws\.com)$/i;

export function specialKind(address: string): SpecialKind | undefined {
  if (AWS_SOURCE.test(address.trim())) return 'aws-internal';
  for (const [cidr, kind] of PARSED) if (cidrContains(cidr, address)) return kind;
  return undefined;
}
