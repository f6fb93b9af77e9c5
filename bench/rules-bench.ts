/**
 * Rule evaluation throughput against JSON.parse of the same bytes.
 *
 *   npx tsx bench/rules-bench.ts [--events 20000] [--rounds 5]
 *
 * Builds CloudTrail records shaped like real ones (nested identity, request
 * parameters, TLS details, varied event names), then times, per rule set:
 * JSON.parse of every record's bytes, and RuleSet.evaluate over the parsed
 * records. The ratio is evaluation throughput over parse throughput: 1.0 or
 * more means evaluating costs no more than parsing.
 */

import { existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { buildRuleSet, compileRule, loadRuleSet, type LoadedRule, type RuleSet } from '../src/detect/ruleset.js';

type Doc = Record<string, unknown>;

const CORPUS_RULES = '../shared/corpus/sigma/cloudtrail';

const SERVICES: Record<string, string[]> = {
  'iam.amazonaws.com': ['ListUsers', 'GetUser', 'CreateUser', 'CreateAccessKey', 'AttachUserPolicy', 'PutUserPolicy', 'CreateLoginProfile', 'UpdateLoginProfile', 'ListRoles', 'GetRole', 'PassRole', 'DeleteSAMLProvider'],
  's3.amazonaws.com': ['ListBuckets', 'GetBucketAcl', 'PutBucketPolicy', 'PutBucketVersioning', 'DeleteBucket', 'GetBucketLocation', 'PutBucketLogging', 'PutObject', 'GetObject'],
  'ec2.amazonaws.com': ['DescribeInstances', 'RunInstances', 'AuthorizeSecurityGroupIngress', 'ModifyInstanceAttribute', 'CreateSnapshot', 'ModifySnapshotAttribute', 'DescribeSecurityGroups', 'CreateRoute', 'ImportKeyPair', 'GetPasswordData'],
  'sts.amazonaws.com': ['AssumeRole', 'GetCallerIdentity', 'GetSessionToken', 'AssumeRoleWithSAML', 'GetFederationToken'],
  'cloudtrail.amazonaws.com': ['DescribeTrails', 'StopLogging', 'DeleteTrail', 'UpdateTrail', 'LookupEvents', 'PutEventSelectors'],
  'kms.amazonaws.com': ['Decrypt', 'Encrypt', 'GenerateDataKey', 'ScheduleKeyDeletion', 'DisableKey'],
  'lambda.amazonaws.com': ['Invoke', 'UpdateFunctionCode20150331v2', 'UpdateFunctionConfiguration20150331v2', 'CreateFunctionUrlConfig', 'AddPermission20150331v2'],
  'guardduty.amazonaws.com': ['ListDetectors', 'GetFindings', 'DeleteDetector', 'UpdateDetector', 'CreateIPSet'],
  'signin.amazonaws.com': ['ConsoleLogin', 'GetSigninToken'],
  'ssm.amazonaws.com': ['GetParameter', 'GetParameters', 'SendCommand', 'StartSession', 'DescribeInstanceInformation'],
  'secretsmanager.amazonaws.com': ['GetSecretValue', 'ListSecrets', 'BatchGetSecretValue'],
  'rds.amazonaws.com': ['DescribeDBInstances', 'ModifyDBInstance', 'RestoreDBInstanceFromDBSnapshot', 'DeleteDBCluster'],
};
const PAIRS = Object.entries(SERVICES).flatMap(([source, names]) => names.map((name) => ({ source, name })));
const AGENTS = [
  'aws-cli/2.17.4 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard',
  'Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.131',
  'aws-sdk-go-v2/1.30.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/iam#1.34.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'AWS Internal',
  'console.amazonaws.com',
];

/** A deterministic generator, so every run measures the same events. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function pick<T>(list: readonly T[], rand: () => number): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function identity(rand: () => number, account: string): Doc {
  if (rand() < 0.55) {
    const role = pick(['ci-deployer', 'web-instance-role', 'AWSReservedSSO_Admin_0f1e2d3c', 'aws:ec2-instance'], rand);
    return {
      type: 'AssumedRole',
      principalId: `AROA4EXAMPLE${Math.floor(rand() * 1e6)}:session-${Math.floor(rand() * 1e4)}`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/session-${Math.floor(rand() * 1e4)}`,
      accountId: account,
      accessKeyId: `ASIA4EXAMPLE${Math.floor(rand() * 1e8)}`,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROA4EXAMPLEROLE', arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
        attributes: { creationDate: '2026-11-28T13:02:11Z', mfaAuthenticated: rand() < 0.3 ? 'true' : 'false' },
      },
    };
  }
  const user = pick(['dana', 'erin', 'svc-reporting', 'terraform'], rand);
  if (rand() < 0.05) return { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account };
  return { type: 'IAMUser', principalId: 'AIDA4EXAMPLEUSER', arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, accessKeyId: `AKIA4EXAMPLE${Math.floor(rand() * 1e8)}`, userName: user };
}

export function makeEvent(i: number, rand: () => number): Doc {
  const { source, name } = pick(PAIRS, rand);
  const account = pick(['123456789012', '210987654321', '555566667777'], rand);
  const failed = rand() < 0.1;
  const event: Doc = {
    eventVersion: '1.09',
    userIdentity: identity(rand, account),
    eventTime: new Date(Date.UTC(2026, 10, 28, 12, 0, i % 3600)).toISOString().replace('.000', ''),
    eventSource: source,
    eventName: name,
    awsRegion: pick(['us-east-1', 'eu-west-1', 'ap-southeast-2'], rand),
    sourceIPAddress: rand() < 0.2 ? source : `${Math.floor(rand() * 223) + 1}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`,
    userAgent: pick(AGENTS, rand),
    requestParameters: rand() < 0.3 ? null : { bucketName: `logs-${account}`, instanceId: `i-0${Math.floor(rand() * 1e12).toString(16)}`, userName: 'svc-reporting', maxResults: 50 },
    responseElements: rand() < 0.6 ? null : { credentials: { accessKeyId: 'ASIA4EXAMPLERESP', expiration: 'Nov 28, 2026 3:02:11 PM' }, publiclyAccessible: rand() < 0.1 },
    requestID: `${Math.floor(rand() * 1e8).toString(16)}-93b4-4c5d-8e6f-0a1b2c3d4e5f`,
    eventID: `${i.toString(16).padStart(8, '0')}-6e5f-4a3b-9c2d-1e0f9a8b7c6d`,
    readOnly: /^(List|Get|Describe|Lookup)/.test(name),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${source.split('.')[0]}.${'us-east-1'}.amazonaws.com` },
  };
  if (failed) Object.assign(event, { errorCode: 'AccessDenied', errorMessage: `User is not authorized to perform: ${name}` });
  return event;
}

/**
 * Synthetic rules in the proportions of the SigmaHQ CloudTrail set: most pin
 * event names (some with a second condition), some pin only a source, about
 * one in twelve pins nothing and runs on every event.
 */
export function syntheticRules(count: number): LoadedRule[] {
  const rand = lcg(count);
  const rules: LoadedRule[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rand();
    const { source, name } = pick(PAIRS, rand);
    const invented = i >= PAIRS.length * 2 && rand() < 0.6 ? `${name}V${i}` : name;
    let detection: Doc;
    if (kind < 0.08) {
      detection = unpinned(i, rand);
    } else if (kind < 0.2) {
      detection = { selection: { eventSource: source, 'userIdentity.type': 'Root' }, condition: 'selection' };
    } else if (kind < 0.6) {
      detection = { selection: { eventSource: source, eventName: [invented, pick(PAIRS, rand).name] }, condition: 'selection' };
    } else {
      detection = {
        selection: { eventSource: source, eventName: invented },
        status_ok: { errorCode: null },
        filter_main: { 'userAgent|contains': 'console.amazonaws.com' },
        condition: 'selection and status_ok and not 1 of filter_*',
      };
    }
    const text = stringify({
      title: `synthetic ${i}`,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      logsource: { product: 'aws', service: 'cloudtrail' },
      detection,
      level: 'medium',
    });
    rules.push(compileRule(text, `synthetic-${i}.yml`));
  }
  return rules;
}

/** A rule no index can narrow: each one distinct, so no two share work. */
function unpinned(i: number, rand: () => number): Doc {
  const form = Math.floor(rand() * 3);
  if (form === 0) return { selection: { 'userAgent|contains': `scanner-${i}/` }, condition: 'selection' };
  if (form === 1) return { selection: { 'userIdentity.arn|re': `.+:assumed-role/aws:.+-${i}$` }, condition: 'selection' };
  return { selection: { 'sourceIPAddress|cidr': `198.51.${i % 256}.0/24` }, condition: 'selection' };
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Best of several rounds, in seconds: the least disturbed measurement. */
function best(rounds: number, body: () => number): { seconds: number; sink: number } {
  let seconds = Infinity;
  let sink = 0;
  body();
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    sink += body();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds, sink };
}

interface Row {
  label: string;
  rules: number;
  seconds: number;
  candidates: number;
  hits: number;
}

function measure(label: string, set: RuleSet, docs: Doc[], rounds: number): Row {
  const run = best(rounds, () => {
    let hits = 0;
    for (const d of docs) hits += set.evaluate('cloudtrail', d).length;
    return hits;
  });
  const candidates = docs.reduce((n, d) => n + set.candidates('cloudtrail', d).length, 0);
  const rules = set.rules.filter((r) => r.service === 'cloudtrail').length;
  // `best` runs the body once to warm up, then `rounds` times.
  return { label, rules, seconds: run.seconds, candidates: candidates / docs.length, hits: run.sink / rounds / docs.length };
}

function main(): void {
  const count = arg('--events', 20_000);
  const rounds = arg('--rounds', 5);
  const rand = lcg(42);
  const texts = Array.from({ length: count }, (_, i) => JSON.stringify(makeEvent(i, rand)));
  // Evaluate what the pipeline evaluates: objects JSON.parse made, not object literals.
  const docs = texts.map((t) => JSON.parse(t) as Doc);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

  const parse = best(rounds, () => {
    let keys = 0;
    for (const t of texts) keys += Object.keys(JSON.parse(t) as Doc).length;
    return keys;
  });

  const sets: Array<[string, RuleSet]> = [['project rules/', loadRuleSet(['rules'])]];
  if (existsSync(CORPUS_RULES)) sets.push(['SigmaHQ cloudtrail', loadRuleSet([CORPUS_RULES])]);
  for (const n of [10, 100, 200, 1000]) sets.push([`synthetic ${n}`, buildRuleSet(syntheticRules(n))]);
  const rows = sets.map(([label, set]) => measure(label, set, docs, rounds));

  const perSec = (seconds: number) => Math.round(count / seconds).toLocaleString('en');
  const out = (line: string) => process.stdout.write(line + '\n');
  out(`${count} CloudTrail events, ${(bytes / 1024 / 1024).toFixed(1)} MiB, mean ${Math.round(bytes / count)} bytes; best of ${rounds} rounds; node ${process.version}`);
  out('');
  out('| case | cloudtrail rules | evaluated per event | matches per event | events/s | ratio to JSON.parse |');
  out('| --- | ---: | ---: | ---: | ---: | ---: |');
  out(`| JSON.parse (baseline) | - | - | - | ${perSec(parse.seconds)} | 1.00 |`);
  for (const r of rows) {
    const ratio = (parse.seconds / r.seconds).toFixed(2);
    out(`| evaluate, ${r.label} | ${r.rules} | ${r.candidates.toFixed(1)} | ${r.hits.toFixed(2)} | ${perSec(r.seconds)} | ${ratio} |`);
  }
}

// Importable (by a profiling script, say) without running.
if (process.argv[1]?.endsWith('rules-bench.ts')) main();
