/**
 * EventBridge events as GuardDuty sends them (shape from the AWS docs: the
 * envelope's `detail` is the camelCase finding), built per test so a case can
 * change count or updatedAt without copying a whole file.
 */

export interface FindingEventOptions {
  id?: string;
  count?: number;
  updatedAt?: string;
  accountId?: string;
  region?: string;
  type?: string;
  severity?: number;
}

export function guardDutyEvent(options: FindingEventOptions = {}): Record<string, unknown> {
  const accountId = options.accountId ?? '111122223333';
  const region = options.region ?? 'us-east-1';
  const id = options.id ?? '5ec1d2a0f4b6c8e0a2b4c6d8e0f2a4b6';
  const updatedAt = options.updatedAt ?? '2024-05-01T10:15:00.000Z';
  return {
    version: '0',
    id: `evt-${id}-${options.count ?? 3}`,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: accountId,
    time: updatedAt,
    region,
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId,
      region,
      partition: 'aws',
      id,
      arn: `arn:aws:guardduty:${region}:${accountId}:detector/d0e1f2a3b4c5/finding/${id}`,
      type: options.type ?? 'UnauthorizedAccess:EC2/SSHBruteForce',
      resource: {
        resourceType: 'Instance',
        instanceDetails: { instanceId: 'i-0a1b2c3d4e5f60718', instanceType: 't3.micro', tags: [{ key: 'Name', value: 'bastion' }] },
      },
      service: {
        serviceName: 'guardduty',
        detectorId: 'd0e1f2a3b4c5',
        action: {
          actionType: 'NETWORK_CONNECTION',
          networkConnectionAction: {
            connectionDirection: 'INBOUND',
            protocol: 'TCP',
            remoteIpDetails: { ipAddressV4: '198.51.100.23', country: { countryName: 'Exampleland' } },
            localPortDetails: { port: 22, portName: 'SSH' },
          },
        },
        eventFirstSeen: '2024-05-01T09:00:00.000Z',
        eventLastSeen: updatedAt,
        archived: false,
        count: options.count ?? 3,
      },
      severity: options.severity ?? 8,
      createdAt: '2024-05-01T09:05:00.000Z',
      updatedAt,
      title: 'SSH brute force attacks against i-0a1b2c3d4e5f60718.',
      description: 'i-0a1b2c3d4e5f60718 is being probed by SSH brute force attacks from 198.51.100.23.',
    },
  };
}
