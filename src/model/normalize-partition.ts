/**
 * The AWS partition decides which console and ARNs a card links to. Sources
 * that do not state it are placed by an ARN they carry, else by their region:
 * a GovCloud or China event must not get commercial-console links.
 */
const REGION_PREFIXES: [string, string][] = [
  ['us-gov-', 'aws-us-gov'],
  ['cn-', 'aws-cn'],
  ['us-isob-', 'aws-iso-b'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
];

export function partitionOf(arns: (string | undefined)[], region: string | undefined): string {
  for (const arn of arns) {
    const partition = arn?.startsWith('arn:') ? arn.split(':')[1] : undefined;
    if (partition && /^aws(-[a-z]+)*$/.test(partition)) return partition;
  }
  const match = REGION_PREFIXES.find(([prefix]) => region?.startsWith(prefix));
  return match ? match[1] : 'aws';
}
