import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPaths } from '../../src/intake/reader.js';
import type { OkItem } from '../../src/model/item.js';
import { normalize } from '../../src/model/normalize.js';

/** The bundled examples are what a newcomer sees first: every one must read and normalize. */
const results = await readPaths(['examples']);
const items = results.flatMap((r) => r.items);
const oks = items.filter((i): i is OkItem => i.status === 'ok');
const signals = oks.map((i) => normalize(i));

describe('examples/', () => {
  it('holds at least 18 inputs, each listed in the README', () => {
    const readme = readFileSync('examples/README.md', 'utf8');
    const files = results.map((r) => r.file.replace(/^examples\//, ''));
    expect(files.length).toBeGreaterThanOrEqual(18);
    expect(files.filter((f) => !readme.includes(`\`${f}\``))).toEqual([]);
  });

  it('reads without a rejected or ignored item, and the empty list reads as nothing', () => {
    expect(items.filter((i) => i.status !== 'ok').map((i) => i.origin.file)).toEqual([]);
    expect(results.find((r) => r.file.endsWith('empty-findings-list.json'))?.items).toEqual([]);
  });

  it('covers every resource type and the scan result', () => {
    const types = new Set(signals.map((s) => s.resource.type));
    for (const type of ['Instance', 'AccessKey', 'S3Bucket', 'EKSCluster', 'ECSCluster', 'Container', 'RDSDBInstance', 'Lambda', 'AttackSequence', 'S3Object']) {
      expect(types, type).toContain(type);
    }
  });

  it('uses every wrapper', () => {
    const wrappers = new Set(oks.map((i) => i.origin.wrapper));
    expect([...wrappers].sort()).toEqual(['cloudtrail-log', 'eventbridge', 'finding', 'get-findings', 's3-export', 'sns']);
  });

  it('uses only the three example accounts as owners', () => {
    expect([...new Set(signals.map((s) => s.accountId))].sort()).toEqual(['111122223333', '444455556666', '777788889999']);
  });

  it('holds one sample finding and one update of an earlier finding', () => {
    expect(signals.filter((s) => s.sample).map((s) => s.type)).toEqual(['Backdoor:EC2/C&CActivity.B']);
    const crypto = signals.filter((s) => s.type === 'CryptoCurrency:EC2/BitcoinTool.B!DNS');
    expect(crypto.map((s) => [s.id, s.count, s.updatedAt])).toEqual([
      ['7d335b8f6b2b2998f19bbc1125bd392d', 3, '2026-12-02T11:10:26.330Z'],
      ['7d335b8f6b2b2998f19bbc1125bd392d', 11, '2026-12-02T12:40:19.874Z'],
    ]);
  });

  it('keeps the gzipped S3 export in step with its readable source', () => {
    const gz = readFileSync('examples/s3-export-tor-client-and-s3-discovery.jsonl.gz');
    const source = readFileSync('examples/build/s3-export-tor-client-and-s3-discovery.jsonl.txt', 'utf8');
    expect(gunzipSync(gz).toString('utf8')).toBe(source);
  });
});
