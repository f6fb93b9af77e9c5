import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetBucketEncryptionCommand, GetBucketPolicyStatusCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ec2Provider } from '../../src/enrich/providers/ec2.js';
import { rdsProvider } from '../../src/enrich/providers/rds.js';
import { s3Provider } from '../../src/enrich/providers/s3.js';
import { runProvider } from '../../src/enrich/run.js';
import type { ProviderResult } from '../../src/enrich/types.js';
import { baseSignal, captureLogger, instantClock, testAccess, testDeps } from './support.js';

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const rds = mockClient(RDSClient);
const s3 = mockClient(S3Client);
const opts = { deadline: 10_000, now: new Date('2024-05-01T12:00:00Z') };

afterEach(() => {
  ec2.reset();
  iam.reset();
  rds.reset();
  s3.reset();
});

function deps() {
  return testDeps({ aws: testAccess(captureLogger().log, instantClock()) });
}

function fields(result: ProviderResult): string[] {
  return result.evidence.map((e) => `${e.field} = ${e.value}${e.verdict ? ` [${e.verdict}]` : ''}`);
}

describe('ec2-instance provider', () => {
  const signal = baseSignal({ resource: { type: 'Instance', id: 'i-0abc1234def567890' } });

  it('reports state, profile role, public IP, world-open groups and tags', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{
      InstanceId: 'i-0abc1234def567890', State: { Name: 'running', Code: 16 }, LaunchTime: new Date('2024-04-30T08:00:00Z'), PublicIpAddress: '198.51.100.40',
      IamInstanceProfile: { Arn: 'arn:aws:iam::111122223333:instance-profile/web-app-profile', Id: 'AIPA1' },
      SecurityGroups: [{ GroupId: 'sg-0aaa', GroupName: 'web' }, { GroupId: 'sg-0bbb', GroupName: 'internal' }],
      Tags: [{ Key: 'Name', Value: 'web-1' }],
    }] }] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [
      { GroupId: 'sg-0aaa', IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ] },
      { GroupId: 'sg-0bbb', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] },
    ] });
    iam.on(GetInstanceProfileCommand).resolves({ InstanceProfile: { InstanceProfileName: 'web-app-profile', InstanceProfileId: 'x', Arn: 'a', Path: '/', CreateDate: new Date(0), Roles: [{ RoleName: 'web-app', RoleId: 'r', Arn: 'a', Path: '/', CreateDate: new Date(0) }] } });

    const result = await runProvider(ec2Provider, signal, deps(), opts);

    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([{ InstanceIds: ['i-0abc1234def567890'] }]);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand).map((c) => c.args[0].input)).toEqual([{ GroupIds: ['sg-0aaa', 'sg-0bbb'] }]);
    expect(iam.commandCalls(GetInstanceProfileCommand).map((c) => c.args[0].input)).toEqual([{ InstanceProfileName: 'web-app-profile' }]);
    expect(fields(result)).toEqual([
      'state = running',
      'launched = 2024-04-30T08:00:00.000Z',
      'public IP = 198.51.100.40',
      'instance profile = web-app-profile → role web-app',
      'security group sg-0aaa = open to the world: tcp/22, tcp/443 [suspicious]',
      'tags = Name=web-1',
    ]);
  });

  it('says so when the instance is gone', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const result = await runProvider(ec2Provider, signal, deps(), opts);
    expect(fields(result)).toEqual(['instance = not found (terminated or wrong region)']);
  });
});

describe('rds-instance provider', () => {
  it('reports engine, public access, encryption and IAM auth', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-db', Engine: 'postgres', EngineVersion: '15.4', PubliclyAccessible: true, StorageEncrypted: false, IAMDatabaseAuthenticationEnabled: false }] });
    const result = await runProvider(rdsProvider, baseSignal({ resource: { type: 'RDSDBInstance', id: 'orders-db' } }), deps(), opts);
    expect(rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input)).toEqual([{ DBInstanceIdentifier: 'orders-db' }]);
    expect(fields(result)).toEqual(['engine = postgres 15.4', 'publicly accessible = yes [suspicious]', 'storage encrypted = no [suspicious]', 'IAM database auth = disabled']);
  });
});

describe('s3-bucket provider', () => {
  const signal = baseSignal({ resource: { type: 'S3Bucket', id: 'orders-exports' } });
  const missing = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404, requestId: `s3-${name}` } });

  it('reads the public access block, policy status and encryption', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false } });
    s3.on(GetBucketPolicyStatusCommand).resolves({ PolicyStatus: { IsPublic: true } });
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } });
    const result = await runProvider(s3Provider, signal, deps(), opts);
    for (const cmd of [GetPublicAccessBlockCommand, GetBucketPolicyStatusCommand, GetBucketEncryptionCommand]) {
      expect(s3.commandCalls(cmd).map((c) => c.args[0].input)).toEqual([{ Bucket: 'orders-exports' }]);
    }
    expect(fields(result)).toEqual(['public access block = partly off [suspicious]', 'bucket policy = public [bad]', 'default encryption = aws:kms']);
  });

  it('treats "not configured" answers as facts', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(missing('NoSuchPublicAccessBlockConfiguration'));
    s3.on(GetBucketPolicyStatusCommand).rejects(missing('NoSuchBucketPolicy'));
    s3.on(GetBucketEncryptionCommand).rejects(missing('ServerSideEncryptionConfigurationNotFoundError'));
    const result = await runProvider(s3Provider, signal, deps(), opts);
    expect(result.status).toBe('ok');
    expect(fields(result)).toEqual(['public access block = not configured [suspicious]', 'bucket policy = no policy', 'default encryption = none']);
  });
});
