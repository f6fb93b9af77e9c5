/**
 * Built-in events for `picket rules check`: one CloudTrail record and one
 * GuardDuty finding with the shapes AWS produces (nested identity, null
 * response, arrays of objects), so a foreign rule's paths are exercised.
 */

export const SAMPLE_CLOUDTRAIL_RECORD: Record<string, unknown> = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROA4EXAMPLEROLEID:deploy-session',
    arn: 'arn:aws:sts::210987654321:assumed-role/ci-deployer/deploy-session',
    accountId: '210987654321',
    accessKeyId: 'ASIA4EXAMPLETEMPKEY1',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROA4EXAMPLEROLEID',
        arn: 'arn:aws:iam::210987654321:role/ci-deployer',
        accountId: '210987654321',
        userName: 'ci-deployer',
      },
      attributes: { creationDate: '2026-11-30T08:12:44Z', mfaAuthenticated: 'false' },
    },
  },
  eventTime: '2026-11-30T08:14:02Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.23',
  userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.ubuntu.22 prompt/off command/iam.create-access-key',
  requestParameters: { userName: 'svc-reporting' },
  responseElements: {
    accessKey: {
      userName: 'svc-reporting',
      accessKeyId: 'AKIA4EXAMPLENEWKEY01',
      status: 'Active',
      createDate: 'Nov 30, 2026 8:14:02 AM',
    },
  },
  additionalEventData: { MFAUsed: 'No' },
  requestID: '3c1d2b9e-5f7a-4f1e-9a62-7d0c8e4b1a55',
  eventID: '9e2f4c61-0a3b-4d8e-b7c5-1f6a2d3e4b70',
  readOnly: false,
  resources: [{ accountId: '210987654321', type: 'AWS::IAM::User', ARN: 'arn:aws:iam::210987654321:user/svc-reporting' }],
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '210987654321',
  eventCategory: 'Management',
  tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'iam.amazonaws.com' },
};

export const SAMPLE_GUARDDUTY_FINDING: Record<string, unknown> = {
  schemaVersion: '2.0',
  accountId: '210987654321',
  region: 'us-east-1',
  partition: 'aws',
  id: '5ec7a1b2c3d4e5f60718293a4b5c6d7e',
  arn: 'arn:aws:guardduty:us-east-1:210987654321:detector/12c7a1b2c3d4e5f6/finding/5ec7a1b2c3d4e5f60718293a4b5c6d7e',
  type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
  resource: {
    resourceType: 'AccessKey',
    accessKeyDetails: {
      accessKeyId: 'ASIA4EXAMPLETEMPKEY2',
      principalId: 'AROA4EXAMPLEROLEID:i-0abc1234def567890',
      userName: 'web-instance-role',
      userType: 'AssumedRole',
    },
  },
  service: {
    serviceName: 'guardduty',
    detectorId: '12c7a1b2c3d4e5f6',
    action: {
      actionType: 'AWS_API_CALL',
      awsApiCallAction: {
        api: 'ListBuckets',
        serviceName: 's3.amazonaws.com',
        callerType: 'Remote IP',
        remoteIpDetails: {
          ipAddressV4: '203.0.113.77',
          country: { countryName: 'Netherlands' },
          organization: { asn: '64500', asnOrg: 'Example Hosting', isp: 'Example Hosting' },
        },
      },
    },
    resourceRole: 'TARGET',
    additionalInfo: { value: '{}', type: 'default' },
    eventFirstSeen: '2026-11-30T07:58:10.000Z',
    eventLastSeen: '2026-11-30T08:02:41.000Z',
    archived: false,
    count: 3,
  },
  severity: 8,
  createdAt: '2026-11-30T08:05:00.000Z',
  updatedAt: '2026-11-30T08:05:00.000Z',
  title: 'Credentials for instance role web-instance-role used from external IP address.',
  description: 'Credentials created exclusively for an EC2 instance were used from the external IP address 203.0.113.77.',
};
