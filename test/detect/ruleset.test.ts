import { describe, expect, it } from 'vitest';
import { buildRuleSet, loadRuleSet, renderTemplate, RuleLoadFailure, type LoadedRule } from '../../src/detect/ruleset.js';
import { ruleWith } from './helpers.js';

const FIXTURES = 'test/fixtures/sigma';

function named(title: string, detection: Record<string, unknown>, service = 'cloudtrail'): LoadedRule {
  return ruleWith(detection, { title, logsource: { product: 'aws', service } });
}

const rules = [
  named('stop logging', { selection: { eventSource: 'cloudtrail.amazonaws.com', eventName: ['StopLogging', 'DeleteTrail'] }, condition: 'selection' }),
  named('any boto3 call', { selection: { 'userAgent|contains': 'boto3' }, condition: 'selection' }),
  named('either of two', { sel_a: { eventName: 'CreateUser' }, sel_b: { eventName: 'CreateAccessKey', 'userAgent|contains': 'S3 Browser' }, condition: '1 of sel_*' }),
  named('not a name', { selection: { eventName: 'ListBuckets' }, condition: 'not selection' }),
  named('name by prefix', { selection: { 'eventName|startswith': 'UpdateFunctionConfiguration' }, condition: 'selection' }),
  named('intersection', { a: { eventName: ['PutObject', 'GetObject'] }, b: { eventName: ['GetObject', 'DeleteObject'] }, condition: 'a and b' }),
  named('source only', { selection: { eventSource: 'kms.amazonaws.com' }, condition: 'selection' }),
  named('or with an unpinned branch', { a: { eventName: 'CreateUser' }, b: { sourceIPAddress: '1.2.3.4' }, condition: 'a or b' }),
  named('finding type', { selection: { type: ['Recon:EC2/PortProbeUnprotectedPort', 'Recon:EC2/Portscan'] }, condition: 'selection' }, 'guardduty'),
  named('finding severity', { selection: { 'severity|gte': 7 }, condition: 'selection' }, 'guardduty'),
];
const set = buildRuleSet(rules);
const titles = (list: LoadedRule[]) => list.map((r) => r.title);
const ALWAYS_CT = ['any boto3 call', 'not a name', 'name by prefix', 'or with an unpinned branch'];

describe('the rule index', () => {
  it('a rule pinned to eventName X is a candidate for X, in any case', () => {
    expect(titles(set.candidates('cloudtrail', { eventName: 'stoplogging' }))).toEqual(['stop logging', ...ALWAYS_CT]);
  });

  it('a rule pinned to eventName X is not a candidate for Y; unpinned rules always are', () => {
    expect(titles(set.candidates('cloudtrail', { eventName: 'RunInstances' }))).toEqual(ALWAYS_CT);
  });

  it('1 of two pinned selections pins the union of their names', () => {
    expect(titles(set.candidates('cloudtrail', { eventName: 'CreateAccessKey' }))).toContain('either of two');
    expect(titles(set.candidates('cloudtrail', { eventName: 'CreateUser' }))).toContain('either of two');
  });

  it('AND of two pinned selections pins their intersection', () => {
    expect(titles(set.candidates('cloudtrail', { eventName: 'GetObject' }))).toContain('intersection');
    expect(titles(set.candidates('cloudtrail', { eventName: 'PutObject' }))).not.toContain('intersection');
  });

  it('a rule that pins only eventSource is filed under the source', () => {
    expect(titles(set.candidates('cloudtrail', { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt' }))).toEqual([
      'any boto3 call', 'not a name', 'name by prefix', 'source only', 'or with an unpinned branch',
    ]);
    expect(titles(set.candidates('cloudtrail', { eventSource: 's3.amazonaws.com' }))).toEqual(ALWAYS_CT);
  });

  it('finding types pin GuardDuty rules; services do not mix', () => {
    expect(titles(set.candidates('guardduty', { type: 'Recon:EC2/Portscan' }))).toEqual(['finding type', 'finding severity']);
    expect(titles(set.candidates('guardduty', { type: 'Backdoor:EC2/C&CActivity.B' }))).toEqual(['finding severity']);
    expect(set.candidates('vpcflow', { type: 'Recon:EC2/Portscan' })).toEqual([]);
  });

  it('evaluate returns the matching candidates in load order', () => {
    const doc = { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', userAgent: 'Boto3/1.34' };
    expect(titles(set.evaluate('cloudtrail', doc))).toEqual(['stop logging', 'any boto3 call', 'not a name']);
    expect(titles(set.evaluate('cloudtrail', { eventName: 'ListBuckets' }))).toEqual([]);
  });

  it('the index never changes the outcome: evaluate equals filtering every rule', () => {
    const docs = [
      { eventName: 'CreateUser', sourceIPAddress: '1.2.3.4' },
      { eventName: 'CreateAccessKey', userAgent: 'S3 Browser 10.9' },
      { eventName: 'UpdateFunctionConfiguration20150331v2' },
      { eventName: 'GetObject' },
      { eventName: ['GetObject', 'StopLogging'], eventSource: 'cloudtrail.amazonaws.com' },
      { eventName: ['UpdateFunctionConfiguration20150331v2'], userAgent: ['curl', 'Boto3/1.34'] },
      { eventName: 'x', userAgent: { sdk: 'boto3' } },
      {},
    ];
    for (const doc of docs) {
      const brute = rules.filter((r) => r.service === 'cloudtrail' && r.match(doc));
      expect(titles(set.evaluate('cloudtrail', doc))).toEqual(titles(brute));
    }
  });
});

describe('loadRuleSet', () => {
  it('loads every rule in a folder tree and skips the finding-type catalogue', () => {
    const loaded = loadRuleSet([`${FIXTURES}/rules`]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules.map((r) => [r.file, r.service, r.level])).toEqual([
      [`${FIXTURES}/rules/cloudtrail/documentation-range-call.yml`, 'cloudtrail', 'Low'],
      [`${FIXTURES}/rules/cloudtrail/trail-stopped.yml`, 'cloudtrail', 'High'],
      [`${FIXTURES}/rules/guardduty/exfiltration-outside-aws.yml`, 'guardduty', 'Critical'],
    ]);
  });

  it('applies picket defaults and keeps the Sigma header', () => {
    const [rule] = loadRuleSet([`${FIXTURES}/rules/guardduty`]).rules;
    expect(rule?.picket).toMatchObject({ route: 'soc', opt_in: false, remediation: 'revoke-role-sessions' });
    expect(rule?.falsepositives).toEqual([]);
    expect(rule?.status).toBe('test');
    const [duet] = loadRuleSet([`${FIXTURES}/rules/cloudtrail/documentation-range-call.yml`]).rules;
    expect(duet?.picket).toMatchObject({ route: 'duet', opt_in: true, runbook: [] });
    expect(duet?.falsepositives).toEqual(['Lab traffic']);
    expect(duet?.tags).toEqual(['attack.initial-access', 'attack.t1078.004', 'cloud']);
  });

  it('reports load errors and duplicate ids with file and spot, and keeps the good rules', () => {
    const loaded = loadRuleSet([`${FIXTURES}/broken`]);
    expect(loaded.rules.map((r) => r.title)).toEqual(['Rule with only a positive test', 'Rule whose test expects the wrong thing']);
    expect(loaded.errors).toEqual([
      { file: `${FIXTURES}/broken/bad-modifier.yml`, where: 'detection.selection.eventName|containz (line 9)', message: 'unknown modifier "containz"' },
      { file: `${FIXTURES}/broken/reused-id.yml`, where: 'id (line 2)', message: `id 0e2a4c6e-8f0b-4d2f-9a6c-8e0a2c4e6f8b is already used by ${FIXTURES}/broken/no-negative.yml` },
    ]);
  });

  it('strict mode throws with every error', () => {
    expect(() => loadRuleSet([`${FIXTURES}/broken`], { strict: true })).toThrow(RuleLoadFailure);
    try {
      loadRuleSet([`${FIXTURES}/broken`], { strict: true });
    } catch (err: unknown) {
      expect((err as RuleLoadFailure).errors).toHaveLength(2);
      expect((err as RuleLoadFailure).message).toMatch(/bad-modifier\.yml: .* \(and 1 more\)$/);
    }
  });

  it('a folder that does not exist is an error, not an empty set', () => {
    const loaded = loadRuleSet([`${FIXTURES}/nowhere`]);
    expect(loaded.errors.map((e) => [e.file, e.where])).toEqual([[`${FIXTURES}/nowhere`, '(root)']]);
  });
});

describe('renderTemplate', () => {
  const doc = {
    sourceIPAddress: '203.0.113.9',
    userIdentity: { arn: 'arn:aws:iam::1:user/dana', type: 'IAMUser' },
    requestParameters: null,
    resources: [{ ARN: 'arn:a' }, { ARN: 'arn:b' }],
    severity: 8,
    'detail.type': 'literal',
  };

  it.each([
    ['From {sourceIPAddress} as {userIdentity.arn}', 'From 203.0.113.9 as arn:aws:iam::1:user/dana'],
    ['Missing: {userIdentity.sessionContext.mfa}', 'Missing: unknown'],
    ['Null: {requestParameters}', 'Null: unknown'],
    ['Many: {resources.ARN}', 'Many: arn:a, arn:b'],
    ['Number: {severity}', 'Number: 8'],
    ['Object: {userIdentity}', 'Object: {"arn":"arn:aws:iam::1:user/dana","type":"IAMUser"}'],
    ['Dotted key: {detail.type}', 'Dotted key: literal'],
    ['Not a field: { sourceIPAddress } {}', 'Not a field: { sourceIPAddress } {}'],
  ])('%s', (template, want) => {
    expect(renderTemplate(template, doc)).toBe(want);
  });
});
