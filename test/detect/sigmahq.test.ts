import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRuleSet, type LoadedRule } from '../../src/detect/ruleset.js';

const CORPUS = '../shared/corpus/sigma/cloudtrail';
const present = existsSync(CORPUS);

const BASE = JSON.parse(readFileSync('test/fixtures/sigma/events/cloudtrail-base.json', 'utf8')) as Record<string, unknown>;

/** The base record with some top-level fields replaced, so each case shows only what it changes. */
function record(overrides: Record<string, unknown>): Record<string, unknown> {
  const out = { ...BASE, ...overrides };
  for (const [key, value] of Object.entries(out)) if (value === undefined) delete out[key];
  return out;
}

const assumedRole = (arn: string) => ({ type: 'AssumedRole', arn, accountId: '123456789012', sessionContext: { sessionIssuer: { type: 'Role' } } });

const cases: Array<{ rule: string; name: string; event: Record<string, unknown>; want: boolean }> = [
  { rule: 'aws_cloudtrail_disable_logging', name: 'StopLogging', event: record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' }), want: true },
  { rule: 'aws_cloudtrail_disable_logging', name: 'DescribeTrails', event: record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'DescribeTrails' }), want: false },
  { rule: 'aws_cloudtrail_console_login_success_without_mfa', name: 'MFAUsed "No" against rule "NO"', event: record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/console/home' }, responseElements: { ConsoleLogin: 'Success' } }), want: true },
  { rule: 'aws_cloudtrail_console_login_success_without_mfa', name: 'with MFA', event: record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'Yes' }, responseElements: { ConsoleLogin: 'Success' } }), want: false },
  { rule: 'aws_cloudtrail_bucket_deleted', name: 'no errorCode at all', event: record({ eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', requestParameters: { bucketName: 'audit-logs-2026' } }), want: true },
  { rule: 'aws_cloudtrail_bucket_deleted', name: 'denied', event: record({ eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', errorCode: 'AccessDenied', errorMessage: 'Access Denied' }), want: false },
  { rule: 'aws_disable_bucket_versioning', name: 'Suspended, inside requestParameters', event: record({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketVersioning', requestParameters: { bucketName: 'backups', VersioningConfiguration: { Status: 'Suspended', xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' }, versioning: '' } }), want: true },
  { rule: 'aws_disable_bucket_versioning', name: 'Enabled', event: record({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketVersioning', requestParameters: { bucketName: 'backups', VersioningConfiguration: { Status: 'Enabled' } } }), want: false },
  { rule: 'aws_cloudtrail_imds_malicious_usage', name: 'instance role used for IAM', event: record({ userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/aws:ec2-instance/i-0abc123def4567890') }), want: true },
  { rule: 'aws_cloudtrail_imds_malicious_usage', name: 'same role, SSM registering', event: record({ userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/aws:ec2-instance/i-0abc123def4567890'), eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceInformation' }), want: false },
  { rule: 'aws_root_account_usage', name: 'root API call', event: record({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' } }), want: true },
  { rule: 'aws_root_account_usage', name: 'root service event', event: record({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' }, eventType: 'AwsServiceEvent' }), want: false },
  { rule: 'aws_rds_public_db_restore', name: 'publiclyAccessible is a JSON boolean', event: record({ eventSource: 'rds.amazonaws.com', eventName: 'RestoreDBInstanceFromDBSnapshot', responseElements: { dBInstanceIdentifier: 'restored-1', publiclyAccessible: true } }), want: true },
  { rule: 'aws_rds_public_db_restore', name: 'private restore', event: record({ eventSource: 'rds.amazonaws.com', eventName: 'RestoreDBInstanceFromDBSnapshot', responseElements: { publiclyAccessible: false } }), want: false },
  { rule: 'aws_cloudtrail_guardduty_detector_deleted_or_updated', name: 'detector disabled (enable: false)', event: record({ eventSource: 'guardduty.amazonaws.com', eventName: 'UpdateDetector', requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0', enable: false } }), want: true },
  { rule: 'aws_cloudtrail_guardduty_detector_deleted_or_updated', name: 'detector frequency change', event: record({ eventSource: 'guardduty.amazonaws.com', eventName: 'UpdateDetector', requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0', findingPublishingFrequency: 'FIFTEEN_MINUTES' } }), want: false },
  { rule: 'aws_new_lambda_layer_attached', name: 'layer on a versioned event name', event: record({ eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionConfiguration20150331v2', requestParameters: { functionName: 'billing', layers: ['arn:aws:lambda:eu-west-1:999988887777:layer:ext:3'] } }), want: true },
  { rule: 'aws_new_lambda_layer_attached', name: 'no layers', event: record({ eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionConfiguration20150331v2', requestParameters: { functionName: 'billing', timeout: 30 } }), want: false },
  { rule: 'aws_ecs_task_definition_cred_endpoint_query', name: 'command in an array of containers', event: record({ eventSource: 'ecs.amazonaws.com', eventName: 'RegisterTaskDefinition', requestParameters: { family: 'x', containerDefinitions: [{ name: 'app', command: ['sh'] }, { name: 'side', command: ['sh', '-c', 'curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] }] } }), want: true },
  { rule: 'aws_ecs_task_definition_cred_endpoint_query', name: 'ordinary containers', event: record({ eventSource: 'ecs.amazonaws.com', eventName: 'RegisterTaskDefinition', requestParameters: { containerDefinitions: [{ name: 'app', command: ['node', 'server.js'] }] } }), want: false },
  { rule: 'aws_update_login_profile', name: 'someone else\'s password', event: record({ eventName: 'UpdateLoginProfile', requestParameters: { userName: 'erin', passwordResetRequired: false } }), want: true },
  { rule: 'aws_ec2_vm_export_failure', name: 'export accepted', event: record({ eventSource: 'ec2.amazonaws.com', eventName: 'CreateInstanceExportTask', responseElements: { exportTask: { state: 'active' } } }), want: true },
  { rule: 'aws_ec2_vm_export_failure', name: 'export failed', event: record({ eventSource: 'ec2.amazonaws.com', eventName: 'CreateInstanceExportTask', errorCode: 'Client.InvalidParameter', errorMessage: 'bad' }), want: false },
  { rule: 'aws_iam_s3browser_templated_s3_bucket_policy_creation', name: 'S3 Browser template policy', event: record({ eventName: 'PutUserPolicy', userAgent: 'S3 Browser 11.5.7 https://s3browser.com', requestParameters: { userName: 'dana', policyName: 'p', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::<YOUR-BUCKET-NAME>/*"]}]}' } }), want: true },
  { rule: 'aws_susp_saml_activity', name: 'SAML provider updated', event: record({ eventName: 'UpdateSAMLProvider' }), want: true },
  { rule: 'aws_susp_saml_activity', name: 'SAML provider listed', event: record({ eventName: 'ListSAMLProviders' }), want: false },
];

describe('SigmaHQ CloudTrail rules from the corpus', () => {
  const set = present ? loadRuleSet([CORPUS]) : undefined;
  const byName = (name: string): LoadedRule => {
    const rule = set?.rules.find((r) => r.file.endsWith(`/${name}.yml`));
    if (!rule) throw new Error(`no rule ${name}`);
    return rule;
  };

  it.skipIf(!present)('all 57 load without error', () => {
    expect(set?.errors).toEqual([]);
    expect(set?.rules).toHaveLength(57);
  });

  it.skipIf(!present).each(cases)('$rule: $name → $want', ({ rule, event, want }) => {
    expect(byName(rule).match(event)).toBe(want);
    expect(set?.evaluate('cloudtrail', event).includes(byName(rule))).toBe(want);
  });
});
