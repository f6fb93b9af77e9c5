import { describe, expect, it } from 'vitest';
import { readInput } from '../../src/intake/reader.js';

/**
 * camelizeKeys (src/intake/casing.ts) recurses once per nesting level, so a
 * 6 KB PascalCase finding with a 3,000-deep array throws RangeError out of
 * readInput. In `triage`/`replay` the whole file becomes one "cannot read
 * file" item (its other findings vanish); at the HTTPS intake the throw
 * becomes a 503, so EventBridge retries a poison body for 24 hours and it is
 * never dead-lettered.
 */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const good = { id: 'good1', type: 'Recon:EC2/PortProbeUnprotectedPort', severity: 5 };

describe('reader and PascalCase findings nested deeply', () => {
  it('does not throw on one deep PascalCase finding', () => {
    const body = `{"Id":"p1","Type":"Recon:EC2/PortProbeUnprotectedPort","Service":${nested(10_000)}}`;
    expect(() => readInput(body, 'http')).not.toThrow();
  });

  it('keeps the other findings of the same input', () => {
    const body = `[${JSON.stringify(good)},{"Id":"p1","Type":"T","Service":${nested(10_000)}}]`;
    let items: ReturnType<typeof readInput> = [];
    try {
      items = readInput(body, 'mixed.json');
    } catch {
      items = [];
    }
    expect(items).toHaveLength(2);
    expect(items[0]?.status).toBe('ok');
  });
});
