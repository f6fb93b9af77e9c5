import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { LOCAL_CONFIG_FILE } from '../../src/config/resolve.js';
import { readInput } from '../../src/intake/reader.js';
import { createTriageContext, triageItem } from '../../src/pipeline/triage.js';

/**
 * Regression (from an adversarial review): a 40 KB finding whose
 * service.action is an array nested 20,000 deep made the Sigma field walker
 * (collect in detect/sigma/fields.ts) recurse once per array level and
 * overflow the stack, so triageItem threw and `npx picket triage` died with
 * exit 1 before the remaining files.
 */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('triage survives deeply nested arrays inside a finding', () => {
  it('gives the item exactly one outcome instead of throwing RangeError', async () => {
    const ctx = await createTriageContext(loadConfig(LOCAL_CONFIG_FILE));
    const body = `{"id":"deep1","type":"Recon:EC2/PortProbeUnprotectedPort","service":{"action":${nested(20_000)}}}`;
    const items = readInput(body, 'deep.json');
    expect(items).toHaveLength(1);

    const outcomes = items.map((item) => triageItem(item, ctx).outcome);
    expect(outcomes).toHaveLength(1);
    expect(['alert', 'duet', 'suppressed', 'ignored', 'rejected']).toContain(outcomes[0]);
  });
});
