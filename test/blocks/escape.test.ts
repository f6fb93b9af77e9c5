import { describe, expect, it } from 'vitest';
import { code, codeBlock, escapeFit, escapeText, present, truncate } from '../../blocks/escape.js';

const ZWJ = '\u200D';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('escapeText', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<http://evil|click>', '&lt;http://evil|click&gt;'],
    ['<@U0123>', '&lt;@U0123&gt;'],
    ['<!subteam^S123|@sec>', '&lt;!subteam^S123|@sec&gt;'],
    ['fish & chips', 'fish &amp; chips'],
    ['already &amp; escaped', 'already &amp;amp; escaped'],
  ])('escapes %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('defuses the broadcast words in any case with a zero-width joiner', () => {
    expect(escapeText('ping @channel and @Here and @EVERYONE')).toBe(
      `ping @${ZWJ}channel and @${ZWJ}Here and @${ZWJ}EVERYONE`,
    );
  });

  it('leaves other @ words alone', () => {
    expect(escapeText('mail bob@example.com @channels')).toBe('mail bob@example.com @channels');
  });

  it('strips control characters and bidi overrides but keeps line breaks', () => {
    expect(escapeText('a\u0000b\u001b[31mc\u007fd\u0085e\u202Ef\r\ng\th')).toBe('ab[31mcdef\ng h');
  });
});

describe('truncate', () => {
  it('returns short text unchanged', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
  });

  it('cuts to exactly the limit with a marker counting what went', () => {
    const out = truncate('x'.repeat(100_000), 100);
    expect(out).toBe(`${'x'.repeat(75)}…[truncated 99,925 chars]`);
    expect(out.length).toBe(100);
  });

  it('falls back to a bare ellipsis when the marker itself does not fit', () => {
    expect(truncate('abcdefghijkl', 5)).toBe('abcd…');
    expect(truncate('abc', 0)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    for (let max = 26; max < 60; max += 1) {
      const out = truncate('😀'.repeat(40), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(out)).toBe(false);
    }
  });

  it('never splits an entity', () => {
    for (let max = 30; max < 45; max += 1) {
      const out = truncate('&lt;'.repeat(20), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/…\[truncated [\d,]+ chars\]$/, '')).toMatch(/^(&lt;)*$/);
    }
  });
});

describe('escapeFit', () => {
  it('fits the escaped text, counting removed raw characters', () => {
    const out = escapeFit('<'.repeat(1000), 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/^(&lt;)+…\[truncated [\d,]+ chars\]$/);
    const kept = (out.match(/&lt;/g) ?? []).length;
    expect(out.endsWith(`…[truncated ${(1000 - kept).toLocaleString('en-US')} chars]`)).toBe(true);
  });
});

describe('code and codeBlock', () => {
  it('wraps a value in inline code with backticks defused', () => {
    expect(code('rm `x` *bold*')).toBe('`rm ˋxˋ *bold*`');
  });

  it('puts a multi-line value in a fenced block', () => {
    expect(codeBlock('a\n```\n<b>')).toBe('```\na\nˋˋˋ\n&lt;b&gt;\n```');
  });

  it.each([undefined, null, '', '   ', 'undefined', 'null', 'NaN', '[object Object]', {}, Number.NaN])(
    'shows nothing for %j',
    (v) => {
      expect(code(v)).toBeUndefined();
      expect(present(v)).toBeUndefined();
    },
  );

  it('keeps inline code within its budget', () => {
    const out = code('&'.repeat(10_000), 50);
    expect(out?.length).toBeLessThanOrEqual(50);
    expect(out?.startsWith('`&amp;')).toBe(true);
    expect(out?.endsWith(' chars]`')).toBe(true);
  });
});
