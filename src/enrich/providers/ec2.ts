/** EC2 instance: state, profile and role, public IP, security groups open to the world, tags, launch time. */
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client, type Instance, type IpPermission } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { awsCall, awsTarget, awsUnready, type AwsTarget } from '../aws-call.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const NAME = 'ec2-instance';

function ev(field: string, value: string, verdict?: Evidence['verdict']): Evidence {
  return { provider: NAME, field, value, ...(verdict ? { verdict } : {}) };
}

function portRange(p: IpPermission): string {
  if (p.IpProtocol === '-1') return 'all traffic';
  return p.FromPort === p.ToPort ? `${p.IpProtocol}/${p.FromPort}` : `${p.IpProtocol}/${p.FromPort}-${p.ToPort}`;
}

/** Inbound rules that admit 0.0.0.0/0 or ::/0. */
export function worldOpen(permissions: IpPermission[]): string[] {
  return permissions
    .filter((p) => (p.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0') || (p.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === '::/0'))
    .map(portRange);
}

async function profileRole(ctx: EnrichContext, target: AwsTarget, arn: string): Promise<string> {
  const name = arn.split('/').pop() ?? arn;
  const out = await awsCall(ctx, target, IAMClient, 'iam:GetInstanceProfile', (cl, o) => cl.send(new GetInstanceProfileCommand({ InstanceProfileName: name }), o));
  const roles = (out.InstanceProfile?.Roles ?? []).map((r) => r.RoleName ?? '?');
  return `${name} → role ${roles.join(', ') || 'none'}`;
}

async function groups(ctx: EnrichContext, target: AwsTarget, instance: Instance): Promise<Evidence[]> {
  const ids = (instance.SecurityGroups ?? []).map((g) => g.GroupId).filter((id): id is string => id !== undefined);
  if (ids.length === 0) return [];
  const out = await awsCall(ctx, target, EC2Client, 'ec2:DescribeSecurityGroups', (cl, o) => cl.send(new DescribeSecurityGroupsCommand({ GroupIds: ids }), o));
  return (out.SecurityGroups ?? []).flatMap((g) => {
    const open = worldOpen(g.IpPermissions ?? []);
    return open.length ? [ev(`security group ${g.GroupId}`, `open to the world: ${open.join(', ')}`, 'suspicious')] : [];
  });
}

export async function ec2Evidence(ctx: EnrichContext, target: AwsTarget, id: string): Promise<Evidence[]> {
  const described = await awsCall(ctx, target, EC2Client, 'ec2:DescribeInstances', (cl, o) => cl.send(new DescribeInstancesCommand({ InstanceIds: [id] }), o));
  const instance = described.Reservations?.[0]?.Instances?.[0];
  if (!instance) return [ev('instance', 'not found (terminated or wrong region)')];

  const out = [ev('state', instance.State?.Name ?? 'unknown'), ev('launched', instance.LaunchTime?.toISOString() ?? 'unknown')];
  out.push(ev('public IP', instance.PublicIpAddress ?? 'none'));
  const profile = instance.IamInstanceProfile?.Arn;
  out.push(ev('instance profile', profile ? await profileRole(ctx, target, profile) : 'none'));
  out.push(...(await groups(ctx, target, instance)));
  const tags = (instance.Tags ?? []).map((t) => `${t.Key}=${t.Value ?? ''}`);
  if (tags.length) out.push(ev('tags', tags.join(', ')));
  return out;
}

export const ec2Provider: Provider = {
  name: NAME,
  appliesTo: (s) => s.resource.type === 'Instance' && /^i-[0-9a-f]+$/.test(s.resource.id ?? ''),
  unready: awsUnready,
  timeoutMs: 6_000,
  ttlSeconds: 300,
  budget: 3,
  cacheKey: (s) => `${s.accountId}:${s.region}:${s.resource.id}`,
  run: async (ctx) => ({ evidence: await ec2Evidence(ctx, awsTarget(ctx), ctx.signal.resource.id ?? '') }),
};
