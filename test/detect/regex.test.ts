import { describe, expect, it } from 'vitest';
import { parsePcre } from '../../src/detect/sigma/pcre-parse.js';
import { compileRegex, emit, linearEdges, requiredLiteral, SHORT_VALUE } from '../../src/detect/sigma/regex.js';

const parse = (pattern: string) => parsePcre(pattern, []).node;

describe('requiredLiteral', () => {
  it.each([
    ['.+:assumed-role/aws:.+', ':assumed-role/aws:'],
    ['/i-[0-9a-fA-F]{8,17}$', '/i-'],
    ['ab*c', 'a'],
    ['ab+cd', 'ab'],
    ['x{0,2}yz', 'yz'],
    ['xy{2}zz', 'xy'],
    ['abc(?!xyzzy)de', 'abcde'],
    ['[abc]defg', 'defg'],
    ['\\.exe$', '.exe'],
    ['foo\\d+barbaz', 'barbaz'],
    ['a\\x41bcd', 'aAbcd'],
    ['\\Qa.b\\E*', 'a.'],
    ['a|bcdef', ''],
    ['(?:ab)?', ''],
  ])('%s needs %s', (pattern, want) => {
    expect(requiredLiteral(parse(pattern))).toBe(want);
  });
});

describe('linearEdges', () => {
  it.each([
    ['.+:assumed-role/aws:.+', '[^\\n]:assumed-role\\/aws:[^\\n]'],
    ['.*abc.*', 'abc'],
    ['.*?abc', 'abc'],
    ['abc\\.+', 'abc\\.'],
    ['[a-f]{2,}x', '[a-f]{2}x'],
    ['.+a|b', '(?:[^\\n]+a|b)'],
    ['^.+x', '^[^\\n]+x'],
  ])('%s becomes %s', (pattern, want) => {
    expect(emit(linearEdges(parse(pattern)))).toBe(want);
  });
});

describe('both engines match exactly what the written regex matches', () => {
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
  // Patterns where PCRE and JavaScript agree, so V8 on the source is the reference.
  const patterns: Array<[string, string[]]> = [
    ['.+:assumed-role/aws:.+', []],
    ['.+:assumed-role/aws:.+', ['i']],
    ['(?i).+:ASSUMED-ROLE/aws:.+', []],
    ['/i-[0-9a-fA-F]{8,17}$', []],
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
    for (const engine of ['auto', 'v8', 'linear'] as const) {
      it(`${pattern} /${flags.join('')} (${engine})`, () => {
        const inline = /^\(\?([a-z]+)\)/.exec(pattern);
        const reference = new RegExp(pattern.slice(inline?.[0].length ?? 0), [...flags, ...(inline?.[1] ?? '')].join(''));
        const compiled = compileRegex(pattern, flags, engine);
        expect(texts.map(compiled)).toEqual(texts.map((t) => reference.test(t)));
      });
    }
  }

  it('refuses inline flags JavaScript has no equivalent for', () => {
    expect(() => compileRegex('(?x)a b', [])).toThrow('inline regex flag "x" is not supported (only i, m, s)');
  });
});

describe('PCRE constructs JavaScript reads differently are translated', () => {
  const cases: Array<[pattern: string, text: string, pcre: boolean]> = [
    ['python$', 'boto3 python\n', true],
    ['python\\z', 'boto3 python\n', false],
    ['python\\Z', 'boto3 python\n', true],
    ['python\\Z', 'boto3 python\n\n', false],
    ['a.c', 'a\rc', true],
    ['a.c', 'a\u2028c', true],
    ['a.c', 'a\nc', false],
    ['(?m)^b$', 'a\rb\rc', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['\\s', '\u00a0', false],
    ['\\S', '\u00a0', true],
    ['^[\\S\\s]$', '\n', true],
    ['^[^a\\S]$', '\t', true],
    ['^[^a\\S]$', 'a', false],
    ['\\v', '\n', true],
    ['\\v', '\x0b', true],
    ['^\\h$', '\u3000', true],
    ['^\\R$', '\r\n', true],
    ['^[[:punct:]]+$', '!-/', true],
    ['^[[:^digit:]]$', 'x', true],
    ['^[[:^digit:]]$', '7', false],
    ['\\Qa.b\\E', 'axb', false],
    ['\\Qab\\E+c', 'abbbc', true],
    ['x\\ey', 'x\x1by', true],
    ['\\x{263a}\\x41\\0', '\u263aA\0', true],
    ['^\\p{Greek}+$', 'αβγ', true],
    ['^\\pN$', '7', true],
    ['(?#a comment)b', 'b', true],
    ['a{,', 'a{,', true],
    ['a{1', 'a{1', true],
  ];
  it.each(cases)('%s on %j is %s', (pattern, text, pcre) => {
    expect(compileRegex(pattern, [], 'v8')(text)).toBe(pcre);
    expect(compileRegex(pattern, [], 'linear')(text)).toBe(pcre);
  });
});

describe('regexes that could be misread or run away are refused', () => {
  it.each([
    ['(\\w+\\s?)+$', /repeat inside a repeat/],
    ['(.*a){20}', /repeat inside a repeat/],
    ['(a?a?)*', /repeat inside a repeat/],
    ['(\\w|\\d)+x', /start with the same character/],
    ['(?i)(A|ab)+', /start with the same character/],
    ['(a{1,9}){9}', /too many ways/],
    ['(?!.*a)b', /inside a lookaround/],
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['(?>a+)b', /atomic groups/],
    ['a++', /possessive/],
    ['a(?i)b', /only supported at the very start/],
    ['\\G', /escape \\G/],
    ['\\p{Xan}', /property/],
    ['(?i)\\p{Lu}', /case-insensitive/],
    ['[[:word1:]]', /POSIX class/],
    ['[\\d-z]', /range/],
    ['x{1001}', /above 1000/],
    ['(?:a{100}){30}', /too large/],
  ])('%s', (pattern, message) => {
    expect(() => compileRegex(pattern, [])).toThrow(message);
  });

  it('accepts nested counted repeats with few splits, such as an IPv4 address', () => {
    const ip = compileRegex('^(\\d{1,3}\\.){3}\\d{1,3}$', []);
    expect(['10.0.0.1', '10.0.0', '1000.0.0.1'].map(ip)).toEqual([true, false, false]);
  });
});

describe('long values take the linear-time matcher, with the same answers', () => {
  // V8 needs minutes for these (quadratic backtracking from every start position).
  const long = 'a'.repeat(100_000);
  it.each([
    ['a[^b]*c', long, false],
    ['a[^b]*c', `${long}c`, true],
    ['x.*y', 'x'.repeat(100_000), false],
    ['"AWS"\\s*:', `"AWS"${' '.repeat(100_000)}:`, true],
  ])('%s', (pattern, text, want) => {
    expect(text.length).toBeGreaterThan(SHORT_VALUE);
    expect(compileRegex(pattern, [])(text)).toBe(want);
  });
});
