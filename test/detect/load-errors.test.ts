import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/core/errors.js';
import { compileRule, RuleLoadFailure, type RuleLoadError } from '../../src/detect/ruleset.js';
import { ruleText } from './helpers.js';

function loadErrors(text: string): RuleLoadError[] {
  try {
    compileRule(text, 'rules/cloudtrail/bad.yml');
  } catch (err: unknown) {
    if (err instanceof RuleLoadFailure) return err.errors;
    throw err;
  }
  throw new Error('the rule loaded');
}

const detectionCases: Array<{ name: string; detection: Record<string, unknown>; where: string; message: RegExp }> = [
  { name: 'unknown modifier', detection: { selection: { 'eventName|contain': 'x' }, condition: 'selection' }, where: 'detection.selection.eventName|contain (line 9)', message: /unknown modifier "contain"/ },
  { name: 'expand modifier', detection: { selection: { 'eventName|expand': '%x%' }, condition: 'selection' }, where: 'detection.selection.eventName|expand (line 9)', message: /expand/ },
  { name: 'aggregation', detection: { selection: { eventName: 'x' }, condition: 'selection | count() > 5' }, where: 'detection.condition (line 10)', message: /aggregation/ },
  { name: 'near', detection: { selection: { eventName: 'x' }, other: { a: 'b' }, condition: 'selection near other' }, where: 'detection.condition (line 12)', message: /unexpected "near"/ },
  { name: 'undefined selection', detection: { selection: { eventName: 'x' }, condition: 'selection and filter' }, where: 'detection.condition (line 10)', message: /"filter", which detection does not define/ },
  { name: 'pattern naming nothing', detection: { selection: { eventName: 'x' }, condition: '1 of filter_*' }, where: 'detection.condition (line 10)', message: /names no selection/ },
  { name: 'unbalanced parentheses', detection: { selection: { eventName: 'x' }, condition: '(selection' }, where: 'detection.condition (line 10)', message: /ends where/ },
  { name: 'timeframe', detection: { selection: { eventName: 'x' }, timeframe: '5m', condition: 'selection' }, where: 'detection.timeframe (line 10)', message: /timeframe/ },
  { name: 'regex JavaScript cannot compile', detection: { selection: { 'a|re': 'x(' }, condition: 'selection' }, where: 'detection.selection.a|re (line 9)', message: /regular expression/ },
  { name: 'bad cidr', detection: { selection: { 'ip|cidr': '10.0.0.0/33' }, condition: 'selection' }, where: 'detection.selection.ip|cidr (line 9)', message: /CIDR/ },
  { name: 'cidr with a leading zero', detection: { selection: { 'ip|cidr': '010.0.0.0/8' }, condition: 'selection' }, where: 'detection.selection.ip|cidr (line 9)', message: /CIDR/ },
  { name: 'regex that backtracks exponentially', detection: { selection: { 'ua|re': '(\\w+\\s?)+$' }, condition: 'selection' }, where: 'detection.selection.ua|re (line 9)', message: /^regular expression '\(\\w\+\\s\?\)\+\$': a repeat inside a repeat/ },
  { name: 'gt with a hex number', detection: { selection: { 'n|gt': '0x10' }, condition: 'selection' }, where: 'detection.selection.n|gt (line 9)', message: /takes a number/ },
  { name: 'gt on text', detection: { selection: { 'n|gt': 'lots' }, condition: 'selection' }, where: 'detection.selection.n|gt (line 9)', message: /takes a number/ },
  { name: 'exists without a boolean', detection: { selection: { 'n|exists': 'yes' }, condition: 'selection' }, where: 'detection.selection.n|exists (line 9)', message: /true or false/ },
  { name: 're with contains', detection: { selection: { 'n|re|contains': 'x' }, condition: 'selection' }, where: 'detection.selection.n|re|contains (line 9)', message: /cannot be used with re/ },
  { name: 'i without re', detection: { selection: { 'n|i': 'x' }, condition: 'selection' }, where: 'detection.selection.n|i (line 9)', message: /only applies to re/ },
  { name: 'base64 of a wildcard', detection: { selection: { 'n|base64': 'a*' }, condition: 'selection' }, where: 'detection.selection.n|base64 (line 9)', message: /wildcards/ },
  { name: 'empty value list', detection: { selection: { n: [] }, condition: 'selection' }, where: 'detection.selection.n (line 9)', message: /empty list/ },
  { name: 'bad item in a value list', detection: { selection: { n: ['a', { b: 1 }] }, condition: 'selection' }, where: 'detection.selection.n[1] (line 11)', message: /string, number, boolean or null/ },
  { name: 'null with a modifier', detection: { selection: { 'n|contains': null }, condition: 'selection' }, where: 'detection.selection.n|contains (line 9)', message: /null cannot take modifiers/ },
  { name: 'missing condition', detection: { selection: { n: 'x' } }, where: 'detection.condition (line 7)', message: /condition is required/ },
];

describe('load errors name the file and the spot', () => {
  it.each(detectionCases)('$name', ({ detection, where, message }) => {
    const [error, ...rest] = loadErrors(ruleText(detection));
    expect(rest).toEqual([]);
    expect(error?.file).toBe('rules/cloudtrail/bad.yml');
    expect(error?.where).toBe(where);
    expect(error?.message).toMatch(message);
  });

  it('a picket section with a wrong route names picket.route and its line', () => {
    const errors = loadErrors(ruleText({ s: { a: 'b' }, condition: 's' }, { picket: { route: 'pager' } }));
    expect(errors.map((e) => e.where)).toEqual(['picket.route (line 13)']);
    expect(errors[0]?.message).toMatch(/soc/);
  });

  it('every problem of a file is reported, header and picket section alike', () => {
    const text = ruleText({ s: { a: 'b' }, condition: 's' }, { level: 'severe', picket: { route: 'duet', colour: 'red' } });
    expect(loadErrors(text).map((e) => e.where)).toEqual(['level (line 11)', 'picket (line 12)', 'picket.question (line 12)']);
  });

  it('a test with both event and fixture is refused', () => {
    const tests = [{ name: 't', expect: 'match', event: { a: 'b' }, fixture: 'x.json' }];
    const [error] = loadErrors(ruleText({ s: { a: 'b' }, condition: 's' }, { picket: { tests } }));
    expect(error?.where).toBe('picket.tests[0] (line 14)');
    expect(error?.message).toBe('give exactly one of event or fixture');
  });

  it('a dedup window without a unit is refused', () => {
    const [error] = loadErrors(ruleText({ s: { a: 'b' }, condition: 's' }, { picket: { dedup: { fields: ['a'], window: '60' } } }));
    expect(error?.where).toBe('picket.dedup.window (line 16)');
  });

  it('an id that is not a UUID and a non-AWS logsource are refused', () => {
    const text = ruleText({ s: { a: 'b' }, condition: 's' }, { id: 'rule-1', logsource: { product: 'windows', service: 'security' } });
    expect(loadErrors(text).map((e) => e.where)).toEqual(['id (line 2)', 'logsource.product (line 5)']);
  });

  it('YAML syntax errors carry their line', () => {
    const [error] = loadErrors('title: x\ndetection:\n  selection: [unclosed\n');
    expect(error?.where).toMatch(/^line \d+$/);
    expect(error?.message).toMatch(/^YAML:/);
  });

  it('duplicate keys in a selection are a YAML error, not a silent overwrite', () => {
    const text = ruleText({ s: { a: 'b' }, condition: 's' }).replace('    a: b', '    a: b\n    a: c');
    expect(loadErrors(text)[0]?.message).toMatch(/YAML/);
  });

  it('correlation rules and collections are refused by name', () => {
    const correlation = stringify({ title: 'x', id: '00000000-0000-4000-8000-000000000001', correlation: { type: 'event_count' } });
    expect(loadErrors(correlation)[0]?.message).toBe('correlation rules are not supported');
    expect(loadErrors('action: global\ntitle: x\n---\ndetection: {}\n')[0]?.message).toMatch(/multi-document/);
  });

  it('the thrown error is a ConfigError whose message names file and spot', () => {
    const text = ruleText({ selection: { 'eventName|contain': 'x' }, condition: 'selection' });
    expect(() => compileRule(text, 'r.yml')).toThrow(ConfigError);
    expect(() => compileRule(text, 'r.yml')).toThrow(/^r\.yml: detection\.selection\.eventName\|contain \(line 9\): unknown modifier/);
  });
});
