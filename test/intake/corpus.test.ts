import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/core/errors.js';
import { readPaths, type ReadResult } from '../../src/intake/reader.js';
import { normalize } from '../../src/model/normalize.js';

/** Real-world input nobody on the project wrote; present beside the checkout in CI. */
const CORPUS = join(process.cwd(), '../shared/corpus');
const present = existsSync(CORPUS);

function problems(results: ReadResult[]): string[] {
  const found: string[] = [];
  for (const { file, items } of results) {
    if (items.length === 0 && !file.includes('empty')) found.push(`${file}: no items`);
    for (const item of items) {
      const where = `${file}#${item.origin.index}`;
      if (item.status !== 'ok') {
        if (item.reason.trim() === '') found.push(`${where}: ${item.status} without a reason`);
        continue;
      }
      try {
        normalize(item);
      } catch (err) {
        found.push(`${where}: normalize threw ${errorMessage(err)}`);
      }
    }
  }
  return found;
}

describe.skipIf(!present)('the shared corpus', () => {
  it('reads every GuardDuty file, gives every item a fate, and normalizes every ok item', async () => {
    const results = await readPaths([join(CORPUS, 'guardduty')]);
    expect(results.length).toBe(36);
    expect(problems(results)).toEqual([]);

    const items = results.flatMap((r) => r.items);
    const rejected = items.filter((i) => i.status === 'rejected');
    expect(rejected.every((i) => i.origin.file.includes('FRAGMENT'))).toBe(true);
    expect(rejected.length).toBe(results.filter((r) => r.file.includes('FRAGMENT')).length);
    expect(items.filter((i) => i.status === 'ok' && i.kind === 'malware-scan').length).toBe(1);
  });

  it('reads every CloudTrail file as CloudTrail items and normalizes them all', async () => {
    const results = await readPaths([join(CORPUS, 'cloudtrail')]);
    expect(problems(results)).toEqual([]);
    const items = results.flatMap((r) => r.items);
    expect(items.filter((i) => i.status !== 'ok' || i.kind !== 'cloudtrail').map((i) => i.origin.file)).toEqual([]);
  });
});
