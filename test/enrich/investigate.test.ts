import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetFindingsCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { investigate } from '../../src/enrich/investigate.js';
import { ACCOUNT, REGION, captureLogger, fixedGeo, instantClock, testAccess, testDeps } from './support.js';

const iam = mockClient(IAMClient);
const ct = mockClient(CloudTrailClient);
const gd = mockClient(GuardDutyClient);
const sts = mockClient(STSClient);

afterEach(() => {
  iam.reset();
  ct.reset();
  gd.reset();
  sts.reset();
});

const since = new Date('2024-05-01T00:00:00Z');
const until = new Date('2024-05-01T12:00:00Z');

describe('investigate', () => {
  it('investigates a role over exactly the requested window and reports progress', async () => {
    iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'deployer', RoleId: 'r', Arn: 'a', Path: '/', CreateDate: new Date('2023-01-01T00:00:00Z'), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' } }] })) } });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] });
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    const steps: string[] = [];
    const deps = testDeps({ aws: testAccess(captureLogger().log, instantClock(Date.parse('2024-05-02T00:00:00Z'))) });

    const out = await investigate({ kind: 'role', id: 'deployer', accountId: ACCOUNT, region: REGION, since, until }, deps, (s) => steps.push(s));

    expect(ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input)).toEqual([
      { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'deployer' }], StartTime: since, EndTime: until, MaxResults: 50 },
    ]);
    expect(out.results.map((r) => [r.provider, r.status])).toEqual([['iam-role', 'ok'], ['activity', 'ok'], ['timeline', 'ok'], ['similar', 'skipped']]);
    expect(out.summaryLines).toEqual([
      `role deployer in ${ACCOUNT}/${REGION}, 2024-05-01T00:00:00.000Z – 2024-05-01T12:00:00.000Z`,
      '!! iam-role · trusted principal: AWS: *',
      '!! iam-role · attached policy AdministratorAccess: grants admin',
      'similar: skipped (no Redis for the alert index)',
    ]);
    expect(steps.filter((s) => s.endsWith('started')).sort()).toEqual(['activity: started', 'iam-role: started', 'similar: started', 'timeline: started']);
    expect(out.files).toEqual([]);
  });

  it('fetches a GuardDuty finding and runs the full provider set on it', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det-1'] });
    gd.on(GetFindingsCommand).resolves({ Findings: [{
      AccountId: ACCOUNT, Region: REGION, Id: 'f-1', Arn: 'arn', Partition: 'aws', SchemaVersion: '2.0', Type: 'Recon:IAMUser/MaliciousIPCaller', Title: 'Known bad caller',
      Severity: 5, CreatedAt: '2024-05-01T10:00:00.000Z', UpdatedAt: '2024-05-01T10:00:00.000Z',
      Resource: { ResourceType: 'AccessKey', AccessKeyDetails: { AccessKeyId: 'ASIAEXAMPLETEMP0009', UserName: 'ops', UserType: 'AssumedRole', PrincipalId: 'AROA:sess' } },
      Service: { Action: { ActionType: 'AWS_API_CALL', AwsApiCallAction: { Api: 'ListUsers', RemoteIpDetails: { IpAddressV4: '192.0.2.44' } } } },
    }] });
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: ACCOUNT });
    iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'ops', RoleId: 'r', Arn: 'a', Path: '/', CreateDate: new Date(0) } });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    const deps = testDeps({ geo: fixedGeo({}), aws: testAccess(captureLogger().log, instantClock(Date.parse('2024-05-02T00:00:00Z'))) });

    const out = await investigate({ kind: 'finding', id: 'f-1', accountId: ACCOUNT, region: REGION, since, until }, deps);

    expect(gd.commandCalls(GetFindingsCommand).map((c) => c.args[0].input)).toEqual([{ DetectorId: 'det-1', FindingIds: ['f-1'] }]);
    expect(out.results.map((r) => r.provider)).toEqual(['intel', 'geo', 'access-key', 'iam-role', 'activity', 'similar', 'timeline']);
    expect(ct.commandCalls(LookupEventsCommand)[0]?.args[0].input.LookupAttributes).toEqual([{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIAEXAMPLETEMP0009' }]);
  });

  it('refuses a malformed request', async () => {
    await expect(investigate({ kind: 'user', id: 'x', accountId: '12', region: REGION, since, until }, testDeps())).rejects.toThrow('account id must be 12 digits');
    await expect(investigate({ kind: 'user', id: 'x', accountId: ACCOUNT, region: REGION, since: until, until: since }, testDeps())).rejects.toThrow('since must be before until');
  });
});
