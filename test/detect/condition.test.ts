import { describe, expect, it } from 'vitest';
import { ruleWith } from './helpers.js';

/** sel_a and sel_c hold for EVENT; sel_b and sel_x do not. */
const selections = {
  sel_a: { a: 'yes' },
  sel_b: { b: 'yes' },
  sel_c: { c: 'yes' },
  sel_x: { x: 'yes' },
};
const EVENT = { a: 'yes', b: 'no', c: 'yes', x: 'no' };

const cases: Array<{ condition: string | string[]; want: boolean }> = [
  { condition: 'sel_a', want: true },
  { condition: 'sel_b', want: false },
  { condition: 'sel_a and sel_c', want: true },
  { condition: 'sel_a and sel_b', want: false },
  { condition: 'sel_a or sel_b', want: true },
  { condition: 'sel_b or sel_x', want: false },
  { condition: 'not sel_b', want: true },
  { condition: 'not not sel_b', want: false },
  { condition: 'sel_a and not sel_b', want: true },
  { condition: 'sel_a AND NOT sel_b', want: true },
  // and binds tighter than or: a or (b and x) is true, (a or b) and x would be false
  { condition: 'sel_a or sel_b and sel_x', want: true },
  { condition: '(sel_a or sel_b) and sel_x', want: false },
  // not binds tighter than and: (not b) and x is false, not (b and x) would be true
  { condition: 'not sel_b and sel_x', want: false },
  { condition: 'not (sel_b and sel_x)', want: true },
  // not binds tighter than or: (not a) or c is true, not (a or c) would be false
  { condition: 'not sel_a or sel_c', want: true },
  { condition: 'not (sel_a or sel_c)', want: false },
  { condition: '((sel_a))', want: true },
  { condition: '1 of sel_*', want: true },
  { condition: 'any of sel_*', want: true },
  { condition: 'all of sel_*', want: false },
  { condition: 'all of sel_a*', want: true },
  { condition: '2 of sel_*', want: true },
  { condition: '3 of sel_*', want: false },
  { condition: '1 of them', want: true },
  { condition: 'all of them', want: false },
  { condition: 'sel_b or 1 of sel_c*', want: true },
  { condition: 'not 1 of sel_b*', want: true },
  { condition: 'not 1 of sel_*', want: false },
  { condition: ['sel_b', 'sel_a'], want: true },
  { condition: ['sel_b', 'sel_x'], want: false },
];

describe('conditions', () => {
  it.each(cases)('$condition is $want', ({ condition, want }) => {
    expect(ruleWith({ ...selections, condition }).match(EVENT)).toBe(want);
  });

  it('"them" leaves out selections whose names start with _', () => {
    const rule = ruleWith({ sel_a: { a: 'yes' }, _helper: { b: 'yes' }, condition: 'all of them' });
    expect(rule.match(EVENT)).toBe(true);
  });

  it('a selection map is AND of its fields', () => {
    const rule = ruleWith({ sel: { a: 'yes', b: 'yes' }, condition: 'sel' });
    expect(rule.match(EVENT)).toBe(false);
    expect(rule.match({ a: 'yes', b: 'yes' })).toBe(true);
  });
});
