import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readInput } from '../../src/intake/reader.js';

/**
 * MAX_INFLATED_BYTES bounds the bytes a gzip input inflates to, but not the
 * number of items: every junk scalar becomes its own rejected item (about
 * 160 bytes of heap each). A 60 KB gzip of `[0,0,...]` (62 MB inflated, under
 * the 64 MB limit) yields 31 million items and kills `npx picket triage` with
 * "JavaScript heap out of memory"; the same body gzipped at the HTTPS intake
 * (which passes gzip through its 1 MB limit) takes the server down.
 *
 * Here a 2 KB gzip expands to a million items. The cap is the fixer's call;
 * this test asks only that one input cannot produce an unbounded item list.
 */
describe('reader bounds the items one input can produce', () => {
  it('does not turn a 2 KB gzip into a million items', () => {
    const count = 1_000_000;
    const gz = gzipSync(Buffer.from(`[${new Array(count).fill('0').join(',')}]`), { level: 9 });
    expect(gz.length).toBeLessThan(4_096);

    const items = readInput(gz, 'bomb.json.gz');
    expect(items.length).toBeLessThanOrEqual(100_000);
    expect(items.every((i) => i.status !== 'ok')).toBe(true);
  });
});
