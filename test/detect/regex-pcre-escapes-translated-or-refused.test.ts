import { describe, expect, it } from 'vitest';
import { compileRuleText } from '../../src/detect/sigma/rule.js';

/**
 * Regression (from an adversarial review). Sigma's `re` is PCRE. JavaScript
 * regexes without the `u` flag accept many PCRE escapes as "identity
 * escapes" and give them another meaning: `\A` is
 * the letter A, `\z` the letter z, `\h` the letter h, `\p{L}` the text "p{L}",
 * `\e` the letter e, `\Q..\E` letters Q and E; a POSIX class `[[:digit:]]` is
 * a set of punctuation and letters followed by "]". Such rules used to load
 * and be silently mis-evaluated. The issue promises: "a foreign rule that uses
 * something unsupported is reported, never silently mis-evaluated".
 * Each case passes if the rule is refused at load or matches as PCRE would.
 */
function ruleText(pattern: string): string {
  return [
    'title: pcre escape',
    'id: 11111111-2222-4333-8444-555555555555',
    'logsource:',
    '  product: aws',
    '  service: cloudtrail',
    'level: low',
    'detection:',
    '  selection:',
    `    userAgent|re: '${pattern}'`,
    '  condition: selection',
  ].join('\n');
}

const CASES: Array<[pattern: string, value: string, pcreMatches: boolean]> = [
  ['\\Aaws-cli', 'aws-cli/2.15', true],
  ['python\\z', 'boto3 python', true],
  ['python\\Z', 'boto3 python', true],
  ['aws\\hcli', 'aws cli', true],
  ['^\\p{L}+$', 'curl', true],
  ['^[[:digit:]]+$', '12345', true],
  ['\\Qa.b\\E', 'a.b', true],
  ['x\\ey', 'xey', false],
];

describe('PCRE escapes in |re are refused or honoured, never reinterpreted', () => {
  it.each(CASES)('%s on %j', (pattern, value, pcreMatches) => {
    const result = compileRuleText(ruleText(pattern), 'pcre.yml');
    if (!result.ok) return;
    expect(result.rule.match({ userAgent: value })).toBe(pcreMatches);
  });
});
