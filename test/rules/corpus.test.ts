import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet, type LoadedRule } from '../../src/detect/ruleset.js';
import { readEvents } from '../../src/detect/sigma/rule-tests.js';

const CORPUS = join(process.cwd(), '../shared/corpus/cloudtrail');
const STRATUS = join(CORPUS, 'stratus-red-team');
const SEKOIA = join(CORPUS, 'sekoia');

const set = loadRuleSet([join(process.cwd(), 'rules')]);

/** Rules that alert for every tenant: opt-in rules do not count towards coverage. */
function alerting(record: Record<string, unknown>): LoadedRule[] {
  return set
    .evaluate('cloudtrail', record)
    .filter((r) => !r.picket.opt_in && (r.picket.route === 'soc' || r.picket.route === 'duet'));
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/**
 * The calls a detonation makes around the attack itself: plain reads, role
 * assumption by the harness, polling. None of them is an attack on its own.
 */
const SUPPORTING_CALLS = new Set([
  'AssumeRole',
  'DescribeInstances',
  'DescribeInstanceInformation',
  'GetCommandInvocation',
  'DescribeParameters',
  'ListSecrets',
  'TerminateSession',
  'StopInstances',
  'StartInstances',
  'GetFoundationModelAvailability',
  'ListFoundationModelAgreementOffers',
]);

describe.skipIf(!existsSync(STRATUS))('Stratus Red Team detonations', () => {
  const files = jsonFiles(STRATUS);

  it('raises an alert or a DUET for at least 95% of the technique files', () => {
    const missed = files.filter((file) => !readEvents(join(STRATUS, file)).some((r) => alerting(r).length > 0));
    if (missed.length > 0) console.log(`stratus techniques without a hit: ${missed.join(', ')}`);

    expect(files.length).toBe(35);
    expect((files.length - missed.length) / files.length).toBeGreaterThanOrEqual(0.95);
  });

  it('raises nothing for the supporting reads around each detonation', () => {
    const noisy: string[] = [];
    for (const file of files) {
      for (const record of readEvents(join(STRATUS, file))) {
        const name = String(record.eventName);
        const byInstanceRole = JSON.stringify(record.userIdentity ?? {}).includes('ec2RoleDelivery');
        if (!SUPPORTING_CALLS.has(name) || byInstanceRole) continue;
        const hits = alerting(record).map((r) => r.title);
        if (hits.length > 0) noisy.push(`${file} ${name}: ${hits.join(', ')}`);
      }
    }
    expect(noisy).toEqual([]);
  });
});

/**
 * What each sekoia record should raise, decided one by one. Plainly benign
 * records (reads, service-to-service calls, an Insights event, a federated
 * sign-in whose MFA happened at the IdP) must raise nothing. The rest are real
 * risky actions and raise exactly the rule written for them.
 */
const SEKOIA_EXPECTED: Record<string, string[]> = {
  // Root replacing an instance's user data: code that runs at boot, by root.
  '7602ff70-7e5f-42e9-86b2-36803df39183.json': ['EC2 user data modified'],
  'event_ec2.json': ['EC2 user data modified'],
  // A denied VM export to S3 is still an exfiltration attempt.
  'event_ec2-error.json': ['EC2 instance export task created'],
  // Root creating an IAM user: a DUET to the account owner.
  'event_iam.json': ['IAM user created'],
  // Root resetting a database master password.
  'event_rds.json': ['RDS master password changed'],
  // Root console sign-in (without MFA): the root DUET asks; the IAM-user MFA rule stays out.
  'event_signin.json': ['Root console sign-in'],
  // Benign: CloudTrail LookupEvents read.
  'event_cloudtrail.json': [],
  // Benign: ECS capacity provider change.
  'event_cluster_name.json': [],
  // Benign: a Lambda role decrypting with KMS.
  'event_lambda.json': [],
  // Benign: an AWS service assuming a role.
  'event_s3.json': [],
  'event_sts.json': [],
  // Benign: an Amazon Connect read with odd characters.
  'invalid_characters.json': [],
  // Benign: an Insights event and a service event carry no caller action.
  'test_insight.json': [],
  'test_service_event.json': [],
  // Benign: SAML console sign-in reports MFAUsed No because MFA is done at the IdP.
  'test_signin2.json': [],
};

describe.skipIf(!existsSync(SEKOIA))('sekoia CloudTrail records', () => {
  it('raise exactly the hits decided for each file', () => {
    const actual: Record<string, string[]> = {};
    for (const file of jsonFiles(SEKOIA)) {
      actual[file] = readEvents(join(SEKOIA, file)).flatMap((r) => alerting(r).map((rule) => rule.title));
    }
    expect(actual).toEqual(SEKOIA_EXPECTED);
  });
});
