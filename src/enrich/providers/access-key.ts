/**
 * Access key: who owns it. A long-term key (AKIA) is looked up with
 * GetAccessKeyLastUsed; a temporary one (ASIA) belongs to a role session,
 * cannot be deactivated, and is traced to the role that issued it.
 */
import { GetAccessKeyLastUsedCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCall, awsTarget, awsUnready, type AwsTarget } from '../aws-call.js';
import { roleNameOf } from '../facts.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const NAME = 'access-key';

function ev(field: string, value: string, verdict?: Evidence['verdict']): Evidence {
  return { provider: NAME, field, value, ...(verdict ? { verdict } : {}) };
}

export function isTemporaryKey(id: string): boolean {
  return id.startsWith('ASIA');
}

async function temporaryKey(ctx: EnrichContext, target: AwsTarget, id: string): Promise<Evidence[]> {
  const info = await awsCall(ctx, target, STSClient, 'sts:GetAccessKeyInfo', (cl, o) => cl.send(new GetAccessKeyInfoCommand({ AccessKeyId: id }), o));
  const role = roleNameOf(ctx.signal);
  const out = [
    ev('key type', 'temporary (STS session)'),
    ev('deactivatable', 'no: temporary credentials cannot be deactivated; revoke the role sessions instead', 'info'),
    ev('session issuer', role ? `role ${role}` : 'unknown role'),
  ];
  if (info.Account && info.Account !== target.accountId) out.push(ev('key account', `${info.Account} (not this account)`, 'suspicious'));
  if (ctx.signal.actor?.sessionName) out.push(ev('session name', ctx.signal.actor.sessionName));
  return out;
}

async function longTermKey(ctx: EnrichContext, target: AwsTarget, id: string): Promise<Evidence[]> {
  const out = await awsCall(ctx, target, IAMClient, 'iam:GetAccessKeyLastUsed', (cl, o) => cl.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }), o));
  const used = out.AccessKeyLastUsed;
  return [
    ev('key type', 'long-term (IAM user)'),
    ev('owner', out.UserName ? `IAM user ${out.UserName}` : 'unknown'),
    ev('last used', used?.LastUsedDate ? `${used.LastUsedDate.toISOString()} ${used.ServiceName ?? ''} ${used.Region ?? ''}`.trim() : 'never'),
    ev('deactivatable', 'yes'),
  ];
}

export const accessKeyProvider: Provider = {
  name: NAME,
  appliesTo: (s) => /^(AKIA|ASIA)/.test(s.actor?.accessKeyId ?? ''),
  unready: awsUnready,
  timeoutMs: 4_000,
  ttlSeconds: 900,
  budget: 2,
  cacheKey: (s) => `${s.accountId}:${s.actor?.accessKeyId}:${roleNameOf(s) ?? ''}`,
  run: async (ctx) => {
    const id = ctx.signal.actor?.accessKeyId ?? '';
    const target = awsTarget(ctx);
    return { evidence: isTemporaryKey(id) ? await temporaryKey(ctx, target, id) : await longTermKey(ctx, target, id) };
  },
};
