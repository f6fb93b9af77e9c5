import {
  GetAccessKeyLastUsedCommand, GetLoginProfileCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetUserCommand,
  GetUserPolicyCommand, IAMClient, ListAccessKeysCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand, ListMFADevicesCommand, ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runProvider } from '../../src/enrich/run.js';
import { accessKeyProvider } from '../../src/enrich/providers/access-key.js';
import { iamRoleProvider } from '../../src/enrich/providers/iam-role.js';
import { iamUserProvider } from '../../src/enrich/providers/iam-user.js';
import type { ProviderResult } from '../../src/enrich/types.js';
import { ACCOUNT, baseSignal, captureLogger, fixtureSignal, instantClock, testAccess, testDeps } from './support.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const NOW = new Date('2024-05-01T12:00:00Z');
const opts = { deadline: 10_000, now: NOW };

afterEach(() => {
  iam.reset();
  sts.reset();
});

function deps() {
  return testDeps({ aws: testAccess(captureLogger().log, instantClock()) });
}

function fields(result: ProviderResult): string[] {
  return result.evidence.map((e) => `${e.field} = ${e.value}${e.verdict ? ` [${e.verdict}]` : ''}`);
}

const notFound = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404, requestId: `nf-${name}` } });
const ADMIN_DOC = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
const IAM_WRITE_DOC = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['iam:AttachUserPolicy', 's3:GetObject'], Resource: '*' } }));
const READ_DOC = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }));

describe('iam-user provider', () => {
  const signal = baseSignal({ actor: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAEXAMPLEALICE0001' } });

  it('gathers the user, paging attached policies and flagging admin and IAM write', async () => {
    iam.on(GetUserCommand).resolves({ User: { UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:aws:iam::111122223333:user/alice', Path: '/', CreateDate: new Date('2024-04-01T12:00:00Z'), Tags: [{ Key: 'team', Value: 'data' }] } });
    iam.on(GetLoginProfileCommand).rejects(notFound('NoSuchEntity'));
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [
      { AccessKeyId: 'AKIAEXAMPLEALICE0001', Status: 'Active', CreateDate: new Date('2024-01-02T12:00:00Z') },
      { AccessKeyId: 'AKIAEXAMPLEALICE0002', Status: 'Inactive', CreateDate: new Date('2023-05-01T12:00:00Z') },
    ] });
    iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAEXAMPLEALICE0001' }).resolves({ UserName: 'alice', AccessKeyLastUsed: { LastUsedDate: new Date('2024-05-01T10:14:00Z'), ServiceName: 's3', Region: 'eu-west-1' } });
    iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAEXAMPLEALICE0002' }).resolves({ UserName: 'alice', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'analysts', GroupId: 'g', Arn: 'a', Path: '/', CreateDate: NOW }] });
    iam.on(ListAttachedUserPoliciesCommand, { UserName: 'alice' }).resolves({ AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }], IsTruncated: true, Marker: 'm-2' });
    iam.on(ListAttachedUserPoliciesCommand, { UserName: 'alice', Marker: 'm-2' }).resolves({ AttachedPolicies: [{ PolicyName: 'data-reader', PolicyArn: 'arn:aws:iam::111122223333:policy/data-reader' }], IsTruncated: false });
    iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v3' } });
    iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: READ_DOC } });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['helpdesk'] });
    iam.on(GetUserPolicyCommand).resolves({ UserName: 'alice', PolicyName: 'helpdesk', PolicyDocument: IAM_WRITE_DOC });

    const result = await runProvider(iamUserProvider, signal, deps(), opts);

    expect(result.status).toBe('ok');
    expect(fields(result)).toEqual([
      'created = 2024-04-01T12:00:00.000Z (30 days old)',
      'tags = team=data',
      'console access = no',
      'MFA = none',
      'access key AKIAEXAMPLEALICE0001 = Active, 120 days old, last used 2024-05-01T10:14:00.000Z s3 eu-west-1',
      'access key AKIAEXAMPLEALICE0002 = Inactive, 366 days old, never used',
      'groups = analysts',
      'attached policy AdministratorAccess = grants admin [bad]',
      'attached policy data-reader = attached',
      'inline policy helpdesk = grants IAM write [bad]',
    ]);
    expect(iam.commandCalls(ListAttachedUserPoliciesCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }, { UserName: 'alice', Marker: 'm-2' }]);
    expect(iam.commandCalls(GetPolicyVersionCommand).map((c) => c.args[0].input)).toEqual([{ PolicyArn: 'arn:aws:iam::111122223333:policy/data-reader', VersionId: 'v3' }]);
    expect(iam.commandCalls(GetUserPolicyCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice', PolicyName: 'helpdesk' }]);
    expect(iam.commandCalls(GetUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }]);
  });

  it('is unavailable with the class and request id when IAM refuses', async () => {
    iam.on(GetUserCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'deny-42' } }));
    const result = await runProvider(iamUserProvider, signal, deps(), opts);
    expect(result).toEqual({ provider: 'iam-user', status: 'unavailable', reason: 'access-denied: iam:GetUser (request deny-42)', evidence: [] });
  });

  it('is skipped without AWS access', async () => {
    const result = await runProvider(iamUserProvider, signal, testDeps(), opts);
    expect(result).toEqual({ provider: 'iam-user', status: 'skipped', reason: 'no AWS access configured', evidence: [] });
  });
});

describe('iam-role provider', () => {
  it('lists trust principals (foreign accounts and wildcards stand out), last use and attached policies', async () => {
    const trust = { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::999988887777:root', `arn:aws:iam::${ACCOUNT}:role/ci`] }, Action: 'sts:AssumeRole' },
    ] };
    iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'web-app', RoleId: 'r', Arn: 'a', Path: '/', CreateDate: new Date('2023-01-01T00:00:00Z'), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)), RoleLastUsed: { LastUsedDate: new Date('2024-05-01T10:10:00Z'), Region: 'eu-west-1' } } });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'IAMFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }] });

    const result = await runProvider(iamRoleProvider, fixtureSignal(), deps(), opts);

    expect(fields(result)).toEqual([
      'trusted principal = Service: ec2.amazonaws.com',
      'trusted principal = AWS: arn:aws:iam::999988887777:root [suspicious]',
      `trusted principal = AWS: arn:aws:iam::${ACCOUNT}:role/ci`,
      'last used = 2024-05-01T10:10:00.000Z eu-west-1',
      'created = 2023-01-01T00:00:00.000Z',
      'attached policy IAMFullAccess = grants IAM write [bad]',
    ]);
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleName: 'web-app' }]);
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand).map((c) => c.args[0].input)).toEqual([{ RoleName: 'web-app' }]);
  });
});

describe('access-key provider', () => {
  it('traces a temporary key to its issuer role and marks it not deactivatable', async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: ACCOUNT });
    const result = await runProvider(accessKeyProvider, fixtureSignal(), deps(), opts);
    expect(sts.commandCalls(GetAccessKeyInfoCommand).map((c) => c.args[0].input)).toEqual([{ AccessKeyId: 'ASIAEXAMPLETEMP0001' }]);
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0);
    expect(fields(result)).toEqual([
      'key type = temporary (STS session)',
      'deactivatable = no: temporary credentials cannot be deactivated; revoke the role sessions instead [info]',
      'session issuer = role web-app',
      'session name = i-0abc1234def567890',
    ]);
  });

  it('finds the owner of a long-term key', async () => {
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'alice', AccessKeyLastUsed: { LastUsedDate: new Date('2024-05-01T10:14:00Z'), ServiceName: 'iam', Region: 'us-east-1' } });
    const signal = baseSignal({ actor: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAEXAMPLEALICE0001' } });
    const result = await runProvider(accessKeyProvider, signal, deps(), opts);
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input)).toEqual([{ AccessKeyId: 'AKIAEXAMPLEALICE0001' }]);
    expect(fields(result)).toEqual(['key type = long-term (IAM user)', 'owner = IAM user alice', 'last used = 2024-05-01T10:14:00.000Z iam us-east-1', 'deactivatable = yes']);
  });
});
