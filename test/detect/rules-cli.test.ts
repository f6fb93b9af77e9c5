import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesCommand } from '../../src/cli/rules.js';

const FIXTURES = 'test/fixtures/sigma';

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await rulesCommand(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

describe('rules test', () => {
  it('passes a folder whose rules all pass their tests (fixture files and inline events)', async () => {
    const { code, out } = await run('test', `${FIXTURES}/rules`);
    expect(out).toEqual(['3 rules, 6 tests, 0 failed']);
    expect(code).toBe(0);
  });

  it('lists every failure: load errors, wrong expectations, missing fixtures, missing negative tests', async () => {
    const { code, out } = await run('test', `${FIXTURES}/broken`);
    expect(out).toEqual([
      `FAIL ${FIXTURES}/broken/bad-modifier.yml: detection.selection.eventName|containz (line 9): unknown modifier "containz"`,
      `FAIL ${FIXTURES}/broken/reused-id.yml: id (line 2): id 0e2a4c6e-8f0b-4d2f-9a6c-8e0a2c4e6f8b is already used by ${FIXTURES}/broken/no-negative.yml`,
      `FAIL ${FIXTURES}/broken/no-negative.yml: Rule with only a positive test (0e2a4c6e-8f0b-4d2f-9a6c-8e0a2c4e6f8b): has no negative test (expect: no-match)`,
      `FAIL ${FIXTURES}/broken/wrong-test.yml: Rule whose test expects the wrong thing (6a8c0e2f-4b6d-4f8a-8c0e-2a4c6e8f0b1d): test "a put is wrongly expected to match": expected a match, but no event matched`,
      expect.stringMatching(/^FAIL .*wrong-test\.yml: .*: test "missing fixture": fixture test\/fixtures\/sigma\/events\/does-not-exist\.json: ENOENT/),
      '2 rules, 3 tests, 5 failed',
    ]);
    expect(code).toBe(1);
  });
});

describe('rules list', () => {
  it('prints a table with id, title, source, route, level, opt-in and ATT&CK tags', async () => {
    const { code, out } = await run('list', `${FIXTURES}/rules`);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ID +TITLE +SOURCE +ROUTE +LEVEL +OPT-IN +ATT&CK$/);
    expect(out[1]).toMatch(/^8e2d4f6a-1b3c-4d5e-8f7a-9b0c1d2e3f4a +API call from a documentation range +cloudtrail +duet +Low +yes +attack\.initial-access,attack\.t1078\.004$/);
    expect(out).toHaveLength(4);
  });

  it('--json prints one array, filtered by --source, --route and --opt-in', async () => {
    const all = JSON.parse((await run('list', '--json', `${FIXTURES}/rules`)).out.join('\n')) as unknown[];
    expect(all).toHaveLength(3);

    const gd = JSON.parse((await run('list', '--json', '--source', 'guardduty', `${FIXTURES}/rules`)).out.join('\n'));
    expect(gd).toEqual([
      {
        id: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5e7f',
        title: 'Instance credentials used outside AWS',
        source: 'guardduty',
        route: 'soc',
        level: 'Critical',
        optIn: false,
        attack: ['attack.credential-access'],
      },
    ]);

    const duet = JSON.parse((await run('list', '--json', '--route', 'duet', `${FIXTURES}/rules`)).out.join('\n')) as Array<{ id: string }>;
    expect(duet.map((r) => r.id)).toEqual(['8e2d4f6a-1b3c-4d5e-8f7a-9b0c1d2e3f4a']);
    const optIn = JSON.parse((await run('list', '--json', '--opt-in', `${FIXTURES}/rules`)).out.join('\n')) as Array<{ id: string }>;
    expect(optIn.map((r) => r.id)).toEqual(['8e2d4f6a-1b3c-4d5e-8f7a-9b0c1d2e3f4a']);
  });

  it('an unknown option is a usage error', async () => {
    const { code, err } = await run('list', '--colour');
    expect(code).toBe(2);
    expect(err).toEqual(['picket rules list: unknown option --colour']);
  });
});

describe('rules check', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'picket-rules-check-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.skipIf(!existsSync('../shared/corpus/sigma/cloudtrail'))('loads and evaluates all 57 SigmaHQ CloudTrail rules', async () => {
    const { code, out } = await run('check', '../shared/corpus/sigma/cloudtrail');
    expect(out).toEqual(['57 loaded, 0 failed']);
    expect(code).toBe(0);
  });

  it('names each failing rule and its reason, and fails the command', async () => {
    const { code, out } = await run('check', `${FIXTURES}/broken`);
    expect(out).toEqual([
      `FAIL ${FIXTURES}/broken/bad-modifier.yml: detection.selection.eventName|containz (line 9): unknown modifier "containz"`,
      `FAIL ${FIXTURES}/broken/reused-id.yml: id (line 2): id 0e2a4c6e-8f0b-4d2f-9a6c-8e0a2c4e6f8b is already used by ${FIXTURES}/broken/no-negative.yml`,
      '2 loaded, 2 failed',
    ]);
    expect(code).toBe(1);
  });

  it('evaluates against the events of --event', async () => {
    const events = join(scratch, 'events.json');
    writeFileSync(events, JSON.stringify([{ eventName: 'StopLogging' }, { eventName: 'x', userIdentity: 'not an object' }]));
    const { code, out } = await run('check', `${FIXTURES}/rules`, '--event', events);
    expect(out).toEqual(['3 loaded, 0 failed']);
    expect(code).toBe(0);
  });

  it('needs exactly one folder', async () => {
    expect((await run('check')).code).toBe(2);
  });
});

describe('rules', () => {
  it('without a subcommand prints usage and returns 2', async () => {
    const { code, err } = await run();
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^usage: picket rules test/);
  });
});
