import { describe, expect, it } from 'vitest';
import { compileRegex, linearEdges, requiredLiteral } from '../../src/detect/sigma/regex.js';

describe('requiredLiteral', () => {
  it.each([
    ['.+:assumed-role/aws:.+', ':assumed-role/aws:'],
    ['/i-[0-9a-fA-F]{8,17}$', '/i-'],
    ['ab*c', 'a'],
    ['ab+cd', 'ab'],
    ['x{0,2}yz', 'yz'],
    ['xy{2}zz', 'xy'],
    ['abc(?!xyzzy)de', 'abc'],
    ['[abc]defg', 'defg'],
    ['\\.exe$', '.exe'],
    ['foo\\d+barbaz', 'barbaz'],
    ['a\\x41bcd', 'bcd'],
    ['a|bcdef', ''],
    ['(?:ab)?', ''],
  ])('%s needs %s', (pattern, want) => {
    expect(requiredLiteral(pattern)).toBe(want);
  });
});

describe('linearEdges', () => {
  it.each([
    ['.+:assumed-role/aws:.+', '.:assumed-role/aws:.'],
    ['.*abc.*', 'abc'],
    ['.*?abc', 'abc'],
    ['abc\\.+', 'abc\\.+'],
    ['abc\\\\.+', 'abc\\\\.'],
    ['.+a|b', '.+a|b'],
    ['^.+x', '^.+x'],
  ])('%s becomes %s', (pattern, want) => {
    expect(linearEdges(pattern)).toBe(want);
  });
});

describe('compileRegex matches exactly what the written regex matches', () => {
  const texts = [
    'arn:aws:sts::1:assumed-role/aws:ec2-instance/i-0abc123def4567890',
    'arn:aws:sts::1:assumed-role/aws:',
    ':assumed-role/aws:x',
    'arn:aws:iam::1:user/ASSUMED-ROLE/AWS:x',
    'line one\nline two',
    '',
    'abc...',
    'abc\\\\\\',
    'xyzzy',
    'C:\\Temp\\x.EXE',
  ];
  const patterns: Array<[string, string[]]> = [
    ['.+:assumed-role/aws:.+', []],
    ['.+:assumed-role/aws:.+', ['i']],
    ['(?i).+:ASSUMED-ROLE/aws:.+', []],
    ['/i-[0-9a-fA-F]{8,17}$', []],
    ['^line two$', []],
    ['^line two$', ['m']],
    ['one.line', []],
    ['one.line', ['s']],
    ['.*', []],
    ['.+', []],
    ['abc\\.+', []],
    ['abc\\\\.+', []],
    ['xy(?!zzy)', []],
    ['\\.exe$', ['i']],
    ['\\.exe$', []],
  ];
  for (const [pattern, flags] of patterns) {
    it(`${pattern} /${flags.join('')}`, () => {
      const inline = /^\(\?([a-z]+)\)/.exec(pattern);
      const reference = new RegExp(pattern.slice(inline?.[0].length ?? 0), [...flags, ...(inline?.[1] ?? '')].join(''));
      const compiled = compileRegex(pattern, flags);
      expect(texts.map(compiled)).toEqual(texts.map((t) => reference.test(t)));
    });
  }

  it('refuses inline flags JavaScript has no equivalent for', () => {
    expect(() => compileRegex('(?x)a b', [])).toThrow('inline regex flag "x" is not supported (only i, m, s)');
  });
});
