import { describe, expect, it } from 'vitest';
import { itemIdentity, jobIdFor } from '../../src/intake/identity.js';
import { readInput } from '../../src/intake/reader.js';
import type { OkItem } from '../../src/model/item.js';
import { fixture } from '../fixtures/intake/load.js';

const bare = fixture('finding-instance-ssh-bruteforce.json');
const pascal = (fixture('getfindings-accesskey-pascal.json').Findings as Record<string, unknown>[])[0] ?? {};
const records = fixture('cloudtrail-log-stoplogging.json').Records as Record<string, unknown>[];

function only(value: unknown): OkItem {
  const items = readInput(JSON.stringify(value), 't.json');
  const [first] = items;
  if (items.length !== 1 || first?.status !== 'ok') throw new Error(`expected one ok item, got ${JSON.stringify(items)}`);
  return first;
}

function pascalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalize);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), pascalize(v)]));
}

function envelope(detail: unknown): Record<string, unknown> {
  return { version: '0', id: 'e1', 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', account: '999988887777', region: 'eu-west-1', time: '2025-06-10T08:47:09Z', detail };
}

function cloudTrailWithId(eventID: string): OkItem {
  return only({ ...records[1], eventID });
}

describe('itemIdentity and jobIdFor', () => {
  it('gives the same finding the same job id bare, PascalCase, in EventBridge and in SNS', () => {
    const ids = [
      jobIdFor(only(bare)),
      jobIdFor(only({ Findings: [pascalize(bare)] })),
      jobIdFor(only(envelope(bare))),
      jobIdFor(only({ Records: [{ Sns: { Message: JSON.stringify(envelope(bare)) } }] })),
    ];
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBe('guardduty-finding-111122223333-4ac6f1e2b3d94c5f8a7e6d5c4b3a2918-1749545222540');
  });

  it('reads updatedAt in any timestamp form into the same identity', () => {
    const spaced = { ...bare, updatedAt: '2025-06-10 08:47:02.540' };
    expect(itemIdentity(only(spaced))).toEqual({ id: '4ac6f1e2b3d94c5f8a7e6d5c4b3a2918', updatedAt: '2025-06-10T08:47:02.540Z' });
    expect(jobIdFor(only(spaced))).toBe(jobIdFor(only(bare)));
  });

  it('gives an update of the finding (new updatedAt) a new job id', () => {
    const updated = { ...bare, updatedAt: '2025-06-10T09:15:40.002Z', service: { ...(bare.service as object), count: 15 } };
    expect(jobIdFor(only(updated))).toBe('guardduty-finding-111122223333-4ac6f1e2b3d94c5f8a7e6d5c4b3a2918-1749546940002');
  });

  it('marks a finding without updatedAt with its count, so a higher count is still an update', () => {
    const { updatedAt: _u, ...stale } = bare;
    expect(jobIdFor(only(stale))).toBe('guardduty-finding-111122223333-4ac6f1e2b3d94c5f8a7e6d5c4b3a2918-c14');
    const recounted = { ...stale, service: { ...(stale.service as object), count: 20 } };
    expect(jobIdFor(only(recounted))).toBe('guardduty-finding-111122223333-4ac6f1e2b3d94c5f8a7e6d5c4b3a2918-c20');
  });

  it('keeps the same finding id in two accounts apart', () => {
    expect(jobIdFor(only({ ...bare, accountId: '444455556666' }))).not.toBe(jobIdFor(only(bare)));
  });

  it('keys CloudTrail items by eventID and eventTime', () => {
    expect(jobIdFor(only(records[1]))).toBe('cloudtrail-111122223333-3b9d5f1a-7c2e-4a8b-b6d0-4e2a8c6f0b93-1749719042000');
  });

  it('gives a scan result re-delivered with the same object version the same job id', () => {
    const scan = fixture('scan-result-threats-found.json');
    expect(jobIdFor(only(scan))).toBe(jobIdFor(only({ ...scan, id: 'another-delivery' })));
    expect(jobIdFor(only(scan))).toMatch(/^malware-scan-\d{12}-scan-[0-9a-f]{32}-1749658805000$/);
  });

  it('gives a CloudTrail record without eventID a content hash', () => {
    const { eventID: _e, ...anonymous } = records[1] ?? {};
    expect(itemIdentity(only(anonymous)).id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('fix: jobIdFor is collision-safe', () => {
  it('never contains a colon', () => {
    const id = jobIdFor(cloudTrailWithId('arn:aws:cloudtrail:eu-west-1:111122223333:event/1'));
    expect(id).not.toContain(':');
    expect(id).toMatch(/^cloudtrail-111122223333-arn_aws_cloudtrail_eu-west-1_1111222-h[0-9a-f]{16}-1749719042000$/);
  });

  it('keeps ids that differ only in characters it had to replace apart', () => {
    expect(jobIdFor(cloudTrailWithId('a:b'))).not.toBe(jobIdFor(cloudTrailWithId('a_b')));
    expect(jobIdFor(cloudTrailWithId('a:b'))).not.toBe(jobIdFor(cloudTrailWithId('a/b')));
    expect(jobIdFor(cloudTrailWithId('a_b'))).toBe('cloudtrail-111122223333-a_b-1749719042000');
  });

  it('keeps long ids with a shared prefix apart', () => {
    const prefix = 'x'.repeat(100);
    expect(jobIdFor(cloudTrailWithId(`${prefix}1`))).not.toBe(jobIdFor(cloudTrailWithId(`${prefix}2`)));
    expect(jobIdFor(cloudTrailWithId(`${prefix}1`)).length).toBeLessThan(100);
  });
});
