/** IAM role: who may assume it (trust policy principals), when it was last used, attached policies. */
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { z } from 'zod';
import { awsCall, awsTarget, awsUnready, type AwsTarget } from '../aws-call.js';
import { roleNameOf } from '../facts.js';
import { managedPolicyRisk, parsePolicyDocument, riskText } from '../policy.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const NAME = 'iam-role';

const TrustSchema = z.object({
  Statement: z.array(z.looseObject({ Effect: z.string(), Principal: z.union([z.literal('*'), z.record(z.string(), z.union([z.string(), z.array(z.string())]))]).optional() })),
});

function ev(field: string, value: string, verdict?: Evidence['verdict']): Evidence {
  return { provider: NAME, field, value, ...(verdict ? { verdict } : {}) };
}

/** `AWS: arn:…:root` lines; a wildcard or another account's root stands out. */
export function trustPrincipals(document: unknown, ownAccount: string): Evidence[] {
  const trust = TrustSchema.safeParse(document);
  if (!trust.success) return [ev('trust policy', 'unreadable')];
  const out: Evidence[] = [];
  for (const s of trust.data.Statement.filter((st) => st.Effect === 'Allow')) {
    if (s.Principal === '*') out.push(ev('trusted principal', '* (anyone)', 'bad'));
    for (const [kind, value] of Object.entries(s.Principal === '*' || !s.Principal ? {} : s.Principal)) {
      for (const p of Array.isArray(value) ? value : [value]) {
        const foreign = kind === 'AWS' && (p === '*' || (/^(arn:aws[a-z-]*:iam::)?\d{12}/.test(p) && !p.includes(ownAccount)));
        out.push(ev('trusted principal', `${kind}: ${p}`, p === '*' ? 'bad' : foreign ? 'suspicious' : undefined));
      }
    }
  }
  return out;
}

export async function iamRoleEvidence(ctx: EnrichContext, target: AwsTarget, role: string): Promise<Evidence[]> {
  const got = await awsCall(ctx, target, IAMClient, 'iam:GetRole', (cl, o) => cl.send(new GetRoleCommand({ RoleName: role }), o));
  const r = got.Role;
  const out = trustPrincipals(parsePolicyDocument(r?.AssumeRolePolicyDocument), target.accountId);
  const used = r?.RoleLastUsed?.LastUsedDate;
  out.push(ev('last used', used ? `${used.toISOString()} ${r?.RoleLastUsed?.Region ?? ''}`.trim() : 'not in the tracking window'));
  if (r?.CreateDate) out.push(ev('created', r.CreateDate.toISOString()));

  const attached = await awsCall(ctx, target, IAMClient, 'iam:ListAttachedRolePolicies', (cl, o) => cl.send(new ListAttachedRolePoliciesCommand({ RoleName: role }), o));
  for (const p of attached.AttachedPolicies ?? []) {
    const risk = managedPolicyRisk(p.PolicyArn);
    out.push(ev(`attached policy ${p.PolicyName ?? '?'}`, risk ? riskText([risk]) : 'attached', risk ? 'bad' : undefined));
  }
  return out;
}

export const iamRoleProvider: Provider = {
  name: NAME,
  appliesTo: (s) => roleNameOf(s) !== undefined,
  unready: awsUnready,
  timeoutMs: 6_000,
  ttlSeconds: 900,
  budget: 4,
  cacheKey: (s) => `${s.accountId}:${roleNameOf(s)}`,
  run: async (ctx) => ({ evidence: await iamRoleEvidence(ctx, awsTarget(ctx), roleNameOf(ctx.signal) ?? '') }),
};
