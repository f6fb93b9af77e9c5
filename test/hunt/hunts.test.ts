import { describe, expect, it } from 'vitest';
import { loadHunts } from '../../src/hunt/load.js';
import { runHuntTests } from '../../src/hunt/tests.js';

const set = loadHunts();

describe('the hunt library', () => {
  it('loads every hunt in hunts/ without an error', () => {
    expect(set.errors).toEqual([]);
    expect(set.hunts.length).toBeGreaterThanOrEqual(12);
  });

  it.each(set.hunts.map((h) => [h.id, h] as const))('%s passes its inline tests', (_id, hunt) => {
    const report = runHuntTests(hunt);
    expect(report.failures.map((f) => `${f.test ?? '(hunt)'}: ${f.message}`)).toEqual([]);
    expect(report.tests).toBeGreaterThanOrEqual(2);
  });

  it('gives every hunt a hypothesis, two or three next steps and a distinct title', () => {
    const offenders = set.hunts.filter((h) => h.spec.hypothesis.length < 30 || h.spec.on_hit.length < 2);
    expect(offenders.map((h) => h.id)).toEqual([]);
    expect(new Set(set.hunts.map((h) => h.title)).size).toBe(set.hunts.length);
  });

  it('finds a hunt by its file name or by its Sigma id', () => {
    expect(set.find('root-activity')?.uuid).toBe('31105b17-10b9-48ef-8d3f-cc9792222de4');
    expect(set.find('31105B17-10B9-48EF-8D3F-CC9792222DE4')?.id).toBe('root-activity');
    expect(set.find('no-such-hunt')).toBeUndefined();
  });
});
