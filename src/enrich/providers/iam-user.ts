/**
 * IAM user: age, console access, MFA, access keys and their last use, groups,
 * attached and inline policies (flagged when they grant admin or IAM write), tags.
 */
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  type AccessKeyMetadata,
  type AttachedPolicy,
} from '@aws-sdk/client-iam';
import { AwsCallError } from '../../aws/call.js';
import { awsCall, awsTarget, awsUnready, type AwsTarget } from '../aws-call.js';
import { isIamUser } from '../facts.js';
import { managedPolicyRisk, parsePolicyDocument, policyRisks, riskText } from '../policy.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const NAME = 'iam-user';
const MAX_PAGES = 5;

type Ctx = { ctx: EnrichContext; target: AwsTarget; user: string };

function ev(field: string, value: string, verdict?: Evidence['verdict']): Evidence {
  return { provider: NAME, field, value, ...(verdict ? { verdict } : {}) };
}

function iam<T>(c: Ctx, op: string, send: (client: IAMClient, o: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
  return awsCall(c.ctx, c.target, IAMClient, `iam:${op}`, send);
}

function ageDays(date: Date | undefined, now: Date): string {
  if (!date) return 'unknown age';
  return `${Math.floor((now.getTime() - date.getTime()) / 86_400_000)} days old`;
}

async function userFacts(c: Ctx): Promise<Evidence[]> {
  const { User } = await iam(c, 'GetUser', (cl, o) => cl.send(new GetUserCommand({ UserName: c.user }), o));
  const out = [ev('created', `${User?.CreateDate?.toISOString() ?? 'unknown'} (${ageDays(User?.CreateDate, c.ctx.now)})`)];
  if (User?.PasswordLastUsed) out.push(ev('password last used', User.PasswordLastUsed.toISOString()));
  const tags = (User?.Tags ?? []).map((t) => `${t.Key}=${t.Value ?? ''}`);
  if (tags.length) out.push(ev('tags', tags.join(', ')));
  return out;
}

async function consoleAccess(c: Ctx): Promise<Evidence> {
  try {
    await iam(c, 'GetLoginProfile', (cl, o) => cl.send(new GetLoginProfileCommand({ UserName: c.user }), o));
    return ev('console access', 'yes (password set)');
  } catch (err) {
    if (err instanceof AwsCallError && err.kind === 'not-found') return ev('console access', 'no');
    throw err;
  }
}

async function mfa(c: Ctx, hasConsole: boolean): Promise<Evidence> {
  const { MFADevices = [] } = await iam(c, 'ListMFADevices', (cl, o) => cl.send(new ListMFADevicesCommand({ UserName: c.user }), o));
  if (MFADevices.length === 0) return ev('MFA', 'none', hasConsole ? 'suspicious' : undefined);
  return ev('MFA', `${MFADevices.length} device(s)`);
}

async function keyLine(c: Ctx, key: AccessKeyMetadata): Promise<Evidence> {
  const id = key.AccessKeyId ?? '?';
  const { AccessKeyLastUsed: used } = await iam(c, 'GetAccessKeyLastUsed', (cl, o) => cl.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }), o));
  const last = used?.LastUsedDate ? `last used ${used.LastUsedDate.toISOString()} ${used.ServiceName ?? ''} ${used.Region ?? ''}`.trim() : 'never used';
  return ev(`access key ${id}`, `${key.Status ?? '?'}, ${ageDays(key.CreateDate, c.ctx.now)}, ${last}`);
}

async function accessKeys(c: Ctx): Promise<Evidence[]> {
  const { AccessKeyMetadata = [] } = await iam(c, 'ListAccessKeys', (cl, o) => cl.send(new ListAccessKeysCommand({ UserName: c.user }), o));
  const lines: Evidence[] = [];
  for (const key of AccessKeyMetadata) lines.push(await keyLine(c, key));
  if (AccessKeyMetadata.filter((k) => k.Status === 'Active').length > 1) lines.push(ev('access keys', 'two active keys', 'suspicious'));
  return lines;
}

async function groups(c: Ctx): Promise<Evidence[]> {
  const { Groups = [] } = await iam(c, 'ListGroupsForUser', (cl, o) => cl.send(new ListGroupsForUserCommand({ UserName: c.user }), o));
  return Groups.length ? [ev('groups', Groups.map((g) => g.GroupName ?? '?').join(', '))] : [];
}

/** Every attached policy, following `Marker` until the listing ends or the page cap is hit. */
export async function listAttached(c: Ctx): Promise<AttachedPolicy[]> {
  const all: AttachedPolicy[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const input = { UserName: c.user, ...(marker ? { Marker: marker } : {}) };
    const out = await iam(c, 'ListAttachedUserPolicies', (cl, o) => cl.send(new ListAttachedUserPoliciesCommand(input), o));
    all.push(...(out.AttachedPolicies ?? []));
    marker = out.IsTruncated ? out.Marker : undefined;
    if (!marker) break;
  }
  return all;
}

/** Customer-managed policies are read (default version) to find admin grants hidden under a bland name. */
async function attachedRisk(c: Ctx, policy: AttachedPolicy): Promise<string> {
  const known = managedPolicyRisk(policy.PolicyArn);
  if (known || /^arn:aws[a-z-]*:iam::aws:/.test(policy.PolicyArn ?? '')) return known ? riskText([known]) : '';
  const arn = policy.PolicyArn ?? '';
  const meta = await iam(c, 'GetPolicy', (cl, o) => cl.send(new GetPolicyCommand({ PolicyArn: arn }), o));
  const versionId = meta.Policy?.DefaultVersionId ?? 'v1';
  const version = await iam(c, 'GetPolicyVersion', (cl, o) => cl.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), o));
  return riskText(policyRisks(parsePolicyDocument(version.PolicyVersion?.Document)));
}

async function policies(c: Ctx): Promise<Evidence[]> {
  const out: Evidence[] = [];
  for (const policy of await listAttached(c)) {
    const risk = await attachedRisk(c, policy);
    out.push(ev(`attached policy ${policy.PolicyName ?? '?'}`, risk || 'attached', risk ? 'bad' : undefined));
  }
  const { PolicyNames = [] } = await iam(c, 'ListUserPolicies', (cl, o) => cl.send(new ListUserPoliciesCommand({ UserName: c.user }), o));
  for (const name of PolicyNames) {
    const doc = await iam(c, 'GetUserPolicy', (cl, o) => cl.send(new GetUserPolicyCommand({ UserName: c.user, PolicyName: name }), o));
    const risk = riskText(policyRisks(parsePolicyDocument(doc.PolicyDocument)));
    out.push(ev(`inline policy ${name}`, risk || 'inline', risk ? 'bad' : undefined));
  }
  return out;
}

export async function iamUserEvidence(ctx: EnrichContext, target: AwsTarget, user: string): Promise<Evidence[]> {
  const c = { ctx, target, user };
  const console_ = await consoleAccess(c);
  return [
    ...(await userFacts(c)),
    console_,
    await mfa(c, console_.value.startsWith('yes')),
    ...(await accessKeys(c)),
    ...(await groups(c)),
    ...(await policies(c)),
  ];
}

export const iamUserProvider: Provider = {
  name: NAME,
  appliesTo: isIamUser,
  unready: awsUnready,
  timeoutMs: 8_000,
  ttlSeconds: 900,
  budget: 40,
  cacheKey: (s) => `${s.accountId}:${s.actor?.userName}`,
  run: async (ctx) => ({ evidence: await iamUserEvidence(ctx, awsTarget(ctx), ctx.signal.actor?.userName ?? '') }),
};
