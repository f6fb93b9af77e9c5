import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { main } from '../../src/cli/index.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('command-line parsing', () => {
  it('reads valued flags in both spellings, booleans and positionals', () => {
    const parsed = parseArgs(['--config', 'a.yml', '--json', 'x', '--out=dir'], ['config', 'out'], ['json']);
    expect([...parsed.flags]).toEqual([['config', 'a.yml'], ['json', true], ['out', 'dir']]);
    expect(parsed.positionals).toEqual(['x']);
  });

  it('refuses an unknown option, a valued flag without a value, and a value on a boolean', () => {
    expect(() => parseArgs(['--onse'], [], ['once'])).toThrow(new UsageError('unknown option --onse'));
    expect(() => parseArgs(['--config'], ['config'])).toThrow(new UsageError('--config needs a value'));
    expect(() => parseArgs(['--config', '--json'], ['config'], ['json'])).toThrow(new UsageError('--config needs a value'));
    expect(() => parseArgs(['--json=yes'], [], ['json'])).toThrow(new UsageError('unknown option --json'));
  });
});

describe('picket main', () => {
  it('answers a usage mistake with exit 2 and the command usage', async () => {
    const t = io();
    expect(await main(['triage', '--jsn', 'examples'], t.io)).toBe(2);
    expect(t.err).toEqual(['picket triage: unknown option --jsn', 'usage: picket triage [--json] [--config FILE] <files|dirs>']);
  });

  it.each([['replay', '--bogus', 'examples'], ['dlq', 'list', '--bogus'], ['demo', '--bogus'], ['hunt', 'list', '--bogus']])(
    'refuses unknown options before doing any work: %s %s',
    async (...argv) => {
      const t = io();
      expect(await main(argv, t.io)).toBe(2);
      expect(t.err[0]).toBe(`picket ${argv[0]}${argv[0] === 'hunt' ? ' list' : ''}: unknown option --bogus`);
    },
  );

  it.each([['rules', 'frob'], ['hunt', 'frob'], ['dlq', 'frob']])('names an unknown subcommand: %s %s', async (command, sub) => {
    const t = io();
    expect(await main([command as string, sub as string], t.io)).toBe(2);
    expect(t.err[0]).toBe(`picket ${command}: unknown subcommand 'frob'`);
  });

  it('refuses a filter value the rules list does not know', async () => {
    const t = io();
    expect(await main(['rules', 'list', '--source', 'foo'], t.io)).toBe(2);
    expect(t.err).toEqual(['picket rules list: --source takes cloudtrail, guardduty; got foo']);
  });

  it('treats object-prototype names as unknown commands, not crashes', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const t = io();
      expect(await main([name], t.io)).toBe(2);
      expect(t.err[0]).toBe(`picket: unknown command '${name}'`);
    }
  });

  it('prints one command help and exits 0', async () => {
    const t = io();
    expect(await main(['poll', '--help'], t.io)).toBe(0);
    expect(t.out[0]).toBe('usage: picket poll [--once] [--config FILE]');
  });
});
