import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { LOCAL_CONFIG_FILE } from '../../src/config/resolve.js';
import { readInput } from '../../src/intake/reader.js';
import { createTriageContext, triageItem, type TriageContext, type Triaged } from '../../src/pipeline/triage.js';

/**
 * The labelled CloudTrail set: attacks that must raise an alert or a DUET, and
 * everyday near-misses that must raise neither. It runs through the real
 * triage path with the local configuration, whose tenants opt in to nothing,
 * so an opt-in rule can neither rescue an attack nor count against a benign
 * record.
 */

const LABELLED = join(process.cwd(), 'test/fixtures/cloudtrail/labelled');
const RAISED = new Set(['alert', 'duet']);

let ctx: TriageContext;

beforeAll(async () => {
  ctx = await createTriageContext(loadConfig(LOCAL_CONFIG_FILE));
});

function files(label: 'attack' | 'benign'): string[] {
  return readdirSync(join(LABELLED, label))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(LABELLED, label, f));
}

function triageFile(file: string): Triaged[] {
  return readInput(readFileSync(file), file).map((item) => triageItem(item, ctx));
}

function name(file: string): string {
  return file.slice(LABELLED.length + 1);
}

/** A record the reader did not take as CloudTrail would pass silently as "not raised". */
function unread(results: Triaged[]): boolean {
  return results.length === 0 || results.some((r) => r.signal?.source !== 'cloudtrail');
}

describe('labelled CloudTrail set', () => {
  it('holds at least 40 attack files and 40 benign files', () => {
    expect(files('attack').length).toBeGreaterThanOrEqual(40);
    expect(files('benign').length).toBeGreaterThanOrEqual(40);
  });

  it('raises an alert or a DUET for every attack file', () => {
    const missed = files('attack').flatMap((file) => {
      const results = triageFile(file);
      if (unread(results)) return [`${name(file)}: not read as CloudTrail`];
      return results.some((r) => RAISED.has(r.outcome)) ? [] : [`${name(file)}: ${results.map((r) => r.outcome).join(', ')}`];
    });
    expect(missed, `attack records without an alert or DUET:\n${missed.join('\n')}`).toEqual([]);
  });

  it('raises nothing for any benign file', () => {
    const noisy = files('benign').flatMap((file) => {
      const results = triageFile(file);
      if (unread(results)) return [`${name(file)}: not read as CloudTrail`];
      const hits = results.filter((r) => RAISED.has(r.outcome)).flatMap((r) => r.decision?.hits.map((h) => `${r.outcome} ${h.title}`) ?? []);
      return hits.length > 0 ? [`${name(file)}: ${hits.join('; ')}`] : [];
    });
    expect(noisy, `benign records that raised an alert or DUET:\n${noisy.join('\n')}`).toEqual([]);
  });
});
