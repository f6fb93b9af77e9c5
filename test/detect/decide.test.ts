import { describe, expect, it } from 'vitest';
import { TenantSchema, type TenantConfig } from '../../src/config/schema.js';
import { loadCatalogue } from '../../src/detect/catalogue.js';
import { decide, type DecideContext } from '../../src/detect/decide.js';
import { buildRuleSet, compileRule } from '../../src/detect/ruleset.js';
import type { OkItem } from '../../src/model/item.js';
import { normalize } from '../../src/model/normalize.js';
import type { Signal } from '../../src/model/signal.js';

/** A rule in the project's format, small enough to read inline. */
function rule(id: string, service: 'guardduty' | 'cloudtrail', selection: string, picket: string, level = 'high'): string {
  return `title: Rule ${id}
id: ${id}
status: test
logsource: { product: aws, service: ${service} }
detection:
  selection: ${selection}
  condition: selection
level: ${level}
picket: ${picket}
`;
}

const IDS = {
  gdDuet: '00000000-0000-4000-8000-000000000001',
  gdSoc: '00000000-0000-4000-8000-000000000002',
  ctOptIn: '00000000-0000-4000-8000-000000000003',
  ctStop: '00000000-0000-4000-8000-000000000004',
  ctNoise: '00000000-0000-4000-8000-000000000005',
};

const rules = buildRuleSet([
  compileRule(rule(IDS.gdDuet, 'guardduty', "{ type: 'Policy:IAMUser/RootCredentialUsage' }", "{ route: duet, question: 'Did you use root from {service.action.awsApiCallAction.remoteIpDetails.ipAddressV4}?' }"), 'a.yml'),
  compileRule(rule(IDS.gdSoc, 'guardduty', "{ type: 'Policy:IAMUser/RootCredentialUsage', 'service.action.awsApiCallAction.api': DeleteTrail }", '{ route: soc }'), 'b.yml'),
  compileRule(rule(IDS.ctOptIn, 'cloudtrail', '{ eventName: InvokeModel }', '{ route: soc, opt_in: true }', 'medium'), 'c.yml'),
  compileRule(rule(IDS.ctStop, 'cloudtrail', '{ eventName: StopLogging }', "{ route: soc, dedup: { fields: [userIdentity.arn], window: 1h } }", 'critical'), 'd.yml'),
  compileRule(rule(IDS.ctNoise, 'cloudtrail', '{ eventName: StopLogging, sourceIPAddress: 192.0.2.1 }', '{ route: suppress }', 'low'), 'e.yml'),
]);
const catalogue = loadCatalogue();

function tenant(extra: Partial<TenantConfig> = {}): TenantConfig {
  return { ...TenantSchema.parse({ id: 'acme', name: 'Acme' }), ...extra };
}

function ctx(extra: Partial<DecideContext> = {}): DecideContext {
  return { rules, catalogue, samples: 'post', tenant: tenant(), ...extra };
}

function finding(type: string, extra: Record<string, unknown> = {}): Signal {
  const item: OkItem = {
    status: 'ok', kind: 'guardduty-finding', origin: { file: 't', index: 0, wrapper: 'finding' },
    doc: { id: 'f'.repeat(32), type, accountId: '111122223333', region: 'us-east-1', severity: 8, ...extra },
  };
  return normalize(item);
}

function trail(eventName: string, extra: Record<string, unknown> = {}): Signal {
  const item: OkItem = {
    status: 'ok', kind: 'cloudtrail', origin: { file: 't', index: 0, wrapper: 'cloudtrail-record' },
    doc: { eventVersion: '1.08', eventID: 'e1', eventTime: '2026-12-01T10:00:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName, recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ops' }, sourceIPAddress: '198.51.100.4', ...extra },
  };
  return normalize(item);
}

const rootCall = { service: { action: { awsApiCallAction: { api: 'ListBuckets', remoteIpDetails: { ipAddressV4: '203.0.113.5' } } } } };

describe('decide', () => {
  it('lets a GuardDuty rule of its own decide over the catalogue, with its question rendered', () => {
    const d = decide(finding('Policy:IAMUser/RootCredentialUsage', rootCall), ctx());
    expect([d.outcome, d.hits.map((h) => h.ruleId), d.hits[0]?.question]).toEqual(['duet', [IDS.gdDuet], 'Did you use root from 203.0.113.5?']);
    expect(d.severity).toBe(8);
  });

  it('ranks soc over duet when both fire', () => {
    const d = decide(finding('Policy:IAMUser/RootCredentialUsage', { service: { action: { awsApiCallAction: { api: 'DeleteTrail' } } } }), ctx());
    expect([d.outcome, d.hits.map((h) => h.ruleId)]).toEqual(['alert', [IDS.gdSoc, IDS.gdDuet]]);
  });

  it('falls back to the catalogue, then its family, then the SOC for an unknown type', () => {
    expect(decide(finding('Backdoor:EC2/C&CActivity.B'), ctx()).hits[0]?.ruleId).toBe('guardduty:Backdoor:EC2/C&CActivity.B');
    expect(decide(finding('Backdoor:EC2/SomethingNew2027'), ctx()).hits[0]?.ruleId).toBe('guardduty:family:Backdoor:');
    const unknown = decide(finding('Nonsense type with spaces'), ctx());
    expect([unknown.outcome, unknown.hits[0]?.ruleId]).toEqual(['alert', 'guardduty:unknown-type']);
  });

  it('posts AWS sample findings at low priority by default, and suppresses them for a tenant that asks', () => {
    const sample = finding('Backdoor:EC2/C&CActivity.B', { service: { additionalInfo: { sample: true } } });
    const posted = decide(sample, ctx());
    expect([posted.outcome, posted.sample, posted.severity, posted.severityLabel]).toEqual(['alert', true, 3.9, 'Low']);
    const muted = decide(sample, ctx({ tenant: tenant({ samples: 'suppress' }) }));
    expect([muted.outcome, muted.reason]).toEqual(['suppressed', 'AWS sample finding; this tenant suppresses samples']);
  });

  it('suppresses findings archived in GuardDuty', () => {
    const d = decide(finding('Backdoor:EC2/C&CActivity.B', { service: { archived: true } }), ctx());
    expect([d.outcome, d.reason]).toEqual(['suppressed', 'archived in GuardDuty (by a suppression rule or an analyst)']);
  });

  it('runs opt-in rules only for tenants that opt in', () => {
    expect(decide(trail('InvokeModel'), ctx()).outcome).toBe('ignored');
    const on = decide(trail('InvokeModel'), ctx({ tenant: tenant({ opt_in: [IDS.ctOptIn] }) }));
    expect([on.outcome, on.severityLabel]).toEqual(['alert', 'Medium']);
  });

  it('counts dry-run matches without posting them', () => {
    const d = decide(trail('StopLogging'), ctx({ tenant: tenant({ dry_run: [IDS.ctStop] }) }));
    expect([d.outcome, d.dryRun, d.reason]).toEqual(['ignored', [IDS.ctStop], `dry-run only: ${IDS.ctStop}`]);
  });

  it('applies tenant suppressions to rules and to catalogue decisions alike', () => {
    const byRule = decide(trail('StopLogging'), ctx({ suppressedBy: (id) => (id === IDS.ctStop ? 'sup-1' : undefined) }));
    expect([byRule.outcome, byRule.suppressedBy, byRule.reason]).toEqual(['suppressed', ['sup-1'], 'suppressed by sup-1']);
    const byType = decide(finding('Backdoor:EC2/C&CActivity.B'), ctx({ suppressedBy: (id) => (id === 'guardduty:Backdoor:EC2/C&CActivity.B' ? 'sup-2' : undefined) }));
    expect([byType.outcome, byType.suppressedBy]).toEqual(['suppressed', ['sup-2']]);
  });

  it('takes a CloudTrail severity from the rule level and carries its dedup key and window', () => {
    const d = decide(trail('StopLogging'), ctx());
    expect([d.outcome, d.severity, d.severityLabel, d.hits[0]?.dedupWindowSeconds]).toEqual(['alert', 9.5, 'Critical', 3600]);
    expect(d.hits[0]?.dedupKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lets a suppress rule win only when nothing louder fired, and ignores records no rule matches', () => {
    const noisy = decide(trail('StopLogging', { sourceIPAddress: '192.0.2.1' }), ctx());
    expect([noisy.outcome, noisy.hits.map((h) => h.ruleId)]).toEqual(['alert', [IDS.ctStop, IDS.ctNoise]]);
    const plain = decide(trail('DescribeTrails'), ctx());
    expect([plain.outcome, plain.reason, plain.hits]).toEqual(['ignored', 'no rule matched', []]);
  });
});
