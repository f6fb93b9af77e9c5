import { describe, expect, it } from 'vitest';
import { compileRuleText } from '../../src/detect/sigma/rule.js';

/**
 * Regression (from an adversarial review): `|re` used to compile straight to
 * a backtracking V8 RegExp with no guard. A rule with a nested quantifier
 * such as `(\w+\s?)+$` took about 0.2 s on a 24-character user agent and
 * doubled with every further character: a 40-character value
 * (attacker-controlled: userAgent) blocked the worker's event loop for hours,
 * and `rules check` accepted the rule.
 *
 * Such patterns are now refused at load, naming them (and values over 256
 * characters run on a linear-time matcher: see regex.test.ts).
 */
function ruleText(pattern: string): string {
  return [
    'title: backtracking',
    'id: 11111111-2222-4333-8444-666666666666',
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

describe('regexes that backtrack exponentially', () => {
  it.each(['(\\w+\\s?)+$', '^(a+)+$', '^(a|aa)+$'])('refuses %s at load', (pattern) => {
    const result = compileRuleText(ruleText(pattern), 'redos.yml');
    expect(result.ok).toBe(false);
  });
});
