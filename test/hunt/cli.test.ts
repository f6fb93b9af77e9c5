import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { huntCommand } from '../../src/cli/hunt.js';
import { loadHunts } from '../../src/hunt/load.js';
import { huntText } from './hunt-text.js';

const FIXTURES = 'test/fixtures/hunt';
const tmp = mkdtempSync(join(tmpdir(), 'picket-hunt-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await huntCommand(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

describe('picket hunt', () => {
  it('lists every hunt, as a table or as JSON', async () => {
    const count = loadHunts().hunts.length;
    const table = await run('list');
    expect(table.code).toBe(0);
    expect(table.out[0]).toMatch(/^ID\s+ATT&CK\s+WINDOW\s+LOOKUP\s+TITLE$/);
    expect(table.out).toHaveLength(count + 1);
    const json = await run('list', '--json');
    const rows = JSON.parse(json.out.join('\n')) as { id: string; lookup: string }[];
    expect(rows).toHaveLength(count);
    expect(rows.find((r) => r.id === 'root-activity')).toEqual({
      id: 'root-activity',
      title: 'Root user activity',
      technique: 'T1078.004',
      lookup: 'Username=root',
      window: '30d',
      hypothesis: 'Someone holds the root password or a root access key and is using it.',
    });
  });

  it('runs the inline tests and exits 0 when all pass', async () => {
    const { code, out } = await run('test');
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^\d+ hunts, \d+ tests, 0 failed$/);
  });

  it('exits 1 and names the failing test of a broken hunt', async () => {
    const dir = join(tmp, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'wrong-expectation.yml'), huntText().replace('expect: { groups: 0 }', 'expect: { groups: 3 }'));
    const { code, out } = await run('test', '--hunts', dir);
    expect(code).toBe(1);
    const file = join(dir, 'wrong-expectation.yml');
    expect(out).toEqual([
      `FAIL ${file}: wrong-expectation: has no test that expects no group`,
      `FAIL ${file}: wrong-expectation: test "no read": expected 3 group(s), got 0 group(s) from 0 match(es)`,
      '1 hunts, 2 tests, 2 failed',
    ]);
  });

  it('runs a hunt offline over log files and EventBridge events', async () => {
    const { code, out } = await run('run', 'access-denied-burst', FIXTURES);
    expect(code).toBe(0);
    expect(out).toEqual([
      'access-denied-burst: AccessDenied bursts per principal',
      '  1 group(s) from 22 match(es) in 24 record(s)',
      '  arn=arn:aws:sts::111122223333:assumed-role/web/i-0abc: 22 event(s) 2026-11-30T22:00:00.000Z → 2026-11-30T22:42:00.000Z',
    ]);
    const root = await run('run', 'root-activity', join(FIXTURES, 'root-sign-in-eventbridge.json'), '--json');
    expect(JSON.parse(root.out.join('\n'))).toEqual({
      huntId: 'root-activity',
      title: 'Root user activity',
      scanned: 1,
      matched: 1,
      groups: [
        {
          key: { eventName: 'ConsoleLogin', sourceIPAddress: '192.0.2.44' },
          count: 1,
          measure: 1,
          first: '2026-12-01T07:00:00.000Z',
          last: '2026-12-01T07:00:00.000Z',
          sample: [{ eventTime: '2026-12-01T07:00:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', principal: 'arn:aws:iam::111122223333:root', sourceIPAddress: '192.0.2.44', userAgent: 'Mozilla/5.0', awsRegion: 'us-east-1', eventID: '0000cccc-0000-4000-8000-000000000001' }],
        },
      ],
      notes: [],
    });
  });

  it('refuses an unknown hunt, an unknown option and a missing argument', async () => {
    expect(await run('run', 'no-such-hunt', FIXTURES)).toMatchObject({ code: 2, err: ['picket hunt run: no hunt no-such-hunt; see picket hunt list'] });
    expect(await run('list', '--verbose')).toMatchObject({ code: 2, err: ['picket hunt list: unknown option --verbose'] });
    expect((await run('run', 'root-activity')).code).toBe(2);
    expect(await run('run', 'root-activity', '/nonexistent/trail.json')).toMatchObject({ code: 2, err: ['picket hunt run: cannot read /nonexistent/trail.json'] });
  });
});
