import { describe, expect, it } from 'vitest';
import { compileRuleText } from '../../src/detect/sigma/rule.js';

/**
 * `|re` compiles straight to a backtracking V8 RegExp with no guard. A rule
 * with a nested quantifier such as `(\w+\s?)+$` takes about 0.2 s on a
 * 24-character user agent and doubles with every further character: a
 * 40-character value (attacker-controlled: userAgent) blocks the worker's
 * event loop for hours, BullMQ's lock expires, the job is handed to the next
 * worker, which hangs too. `rules check` accepts the rule.
 *
 * This test asks for the cheapest guard: refuse such a pattern at load,
 * naming it. (Running regexes on a linear-time engine would also fix the hang;
 * if that is the chosen fix, replace this test with one that evaluates.)
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
