import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { createTuning, dedupKey, parseSuppressions, parseWindow, type Suppression } from '../../src/detect/tuning.js';
import { ruleWith } from './helpers.js';

const NOW = new Date('2026-12-04T12:00:00Z');
const RULE = { id: '6f0a3c55-6d1b-4c9e-9a63-0d7a3b1a2f10' };

function suppression(overrides: Partial<Suppression> = {}): Suppression {
  return {
    id: 'sup-1',
    tenant: 'acme',
    ruleId: RULE.id,
    match: { 'userIdentity.arn': 'arn:aws:iam::123456789012:user/ci-*', sourceIPAddress: ['198.51.100.7', '198.51.100.8'] },
    owner: 'dana@example.com',
    reason: 'CI signs in from the build subnet every night',
    expiresAt: '2026-12-31T00:00:00Z',
    ...overrides,
  };
}

const EVENT = { userIdentity: { arn: 'arn:aws:iam::123456789012:user/CI-runner' }, sourceIPAddress: '198.51.100.8' };

describe('suppressions', () => {
  it('applies when tenant, rule and every field match (values: any of a list, wildcards, any case)', () => {
    const tuning = createTuning([suppression()]);
    expect(tuning.applySuppressions(RULE, EVENT, 'acme', NOW)?.id).toBe('sup-1');
  });

  it.each([
    ['another tenant', { ...EVENT }, 'globex', RULE],
    ['another rule', { ...EVENT }, 'acme', { id: 'b0b0b0b0-0000-4000-8000-000000000000' }],
    ['one field differs', { ...EVENT, sourceIPAddress: '203.0.113.1' }, 'acme', RULE],
    ['a field is missing', { sourceIPAddress: '198.51.100.8' }, 'acme', RULE],
  ])('does not apply for %s', (_, doc, tenant, rule) => {
    expect(createTuning([suppression()]).applySuppressions(rule, doc, tenant, NOW)).toBeUndefined();
  });

  it('an expired suppression stops applying and is listed as expired', () => {
    const tuning = createTuning([suppression({ id: 'old', expiresAt: '2026-12-04T12:00:00Z' }), suppression({ id: 'new' })]);
    expect(tuning.applySuppressions(RULE, EVENT, 'acme', NOW)?.id).toBe('new');
    expect(tuning.listSuppressions(NOW).map((s) => [s.id, s.state])).toEqual([['old', 'expired'], ['new', 'active']]);
    expect(tuning.applySuppressions(RULE, EVENT, 'acme', new Date('2027-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('ruleId * covers every rule; an empty match covers every event; arrays in the event match by element', () => {
    const tuning = createTuning([suppression({ ruleId: '*', match: {} })]);
    expect(tuning.applySuppressions({ id: 'any' }, {}, 'acme', NOW)?.id).toBe('sup-1');
    const byTag = createTuning([suppression({ match: { 'resources.ARN': '*:bucket-logs' } })]);
    expect(byTag.applySuppressions(RULE, { resources: [{ ARN: 'arn:x' }, { ARN: 'arn:aws:s3:::bucket-logs' }] }, 'acme', NOW)?.id).toBe('sup-1');
  });

  it('lists only one tenant when asked', () => {
    const tuning = createTuning([suppression(), suppression({ id: 'sup-2', tenant: 'globex' })]);
    expect(tuning.listSuppressions(NOW, 'globex').map((s) => s.id)).toEqual(['sup-2']);
  });

  it('parseSuppressions names the item and field that are wrong', () => {
    const bad = [suppression(), { ...suppression(), expiresAt: 'next week' }];
    expect(() => parseSuppressions(bad, 'tenants/acme.yml')).toThrow(ConfigError);
    expect(() => parseSuppressions(bad, 'tenants/acme.yml')).toThrow(/^tenants\/acme\.yml: \[1\]\.expiresAt: /);
    expect(parseSuppressions([suppression()], 'x')).toEqual([suppression()]);
  });
});

describe('dedupKey', () => {
  const rule = ruleWith({ s: { eventName: 'ConsoleLogin' }, condition: 's' }, { picket: { dedup: { fields: ['userIdentity.arn', 'sourceIPAddress'], window: '1h' } } });

  it('is stable for the same rule and values and ignores other fields', () => {
    const a = dedupKey(rule, { userIdentity: { arn: 'arn:a', type: 'Root' }, sourceIPAddress: '1.2.3.4', eventID: '1' });
    const b = dedupKey(rule, { sourceIPAddress: '1.2.3.4', eventID: '2', userIdentity: { arn: 'arn:a' } });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toBe(b);
  });

  it('changes with any dedup field, and treats missing like null', () => {
    const base = dedupKey(rule, { userIdentity: { arn: 'arn:a' }, sourceIPAddress: '1.2.3.4' });
    expect(dedupKey(rule, { userIdentity: { arn: 'arn:a' }, sourceIPAddress: '1.2.3.5' })).not.toBe(base);
    expect(dedupKey(rule, { userIdentity: { arn: 'arn:a' } })).toBe(dedupKey(rule, { userIdentity: { arn: 'arn:a' }, sourceIPAddress: null }));
  });

  it('is the same whatever the key order of an object field', () => {
    const objectRule = ruleWith({ s: { eventName: 'x' }, condition: 's' }, { picket: { dedup: { fields: ['requestParameters'], window: '5m' } } });
    expect(dedupKey(objectRule, { requestParameters: { a: 1, b: 2 } })).toBe(dedupKey(objectRule, { requestParameters: { b: 2, a: 1 } }));
  });

  it('is different for another rule with the same values, and undefined without dedup', () => {
    const other = ruleWith({ s: { eventName: 'ConsoleLogin' }, condition: 's' }, { picket: { dedup: { fields: ['userIdentity.arn', 'sourceIPAddress'], window: '1h' } } });
    const doc = { userIdentity: { arn: 'arn:a' }, sourceIPAddress: '1.2.3.4' };
    expect(dedupKey(other, doc)).not.toBe(dedupKey(rule, doc));
    expect(dedupKey(ruleWith({ s: { a: 'b' }, condition: 's' }), doc)).toBeUndefined();
  });
});

describe('parseWindow', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604800],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseWindow(text)).toBe(seconds);
  });

  it.each(['', '1', 'h', '0h', '1.5h', '1w', '-1h', ' 1h'])('refuses %j', (text) => {
    expect(() => parseWindow(text)).toThrow(ConfigError);
  });
});
