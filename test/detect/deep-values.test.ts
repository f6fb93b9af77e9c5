import { describe, expect, it } from 'vitest';
import { buildRuleSet } from '../../src/detect/ruleset.js';
import { readPath, scalars } from '../../src/detect/sigma/fields.js';
import { selectionRule } from './helpers.js';

const DEPTH = 10_000;

/** `leaf` inside DEPTH arrays, built without recursion. */
function deepArray(leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < DEPTH; i++) value = [value];
  return value;
}

/** `leaf` under DEPTH nested objects { n: { n: ... } }. */
function deepObject(leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < DEPTH; i++) value = { n: value };
  return value;
}

describe('values nested 10,000 deep are walked without recursion', () => {
  it('a dotted path reaches through nested arrays', () => {
    const event = { service: { action: deepArray({ actionType: 'PORT_PROBE' }) } };
    expect(selectionRule({ 'service.action.actionType': 'PORT_PROBE' }).match(event)).toBe(true);
    expect(selectionRule({ 'service.action.actionType': 'DNS_REQUEST' }).match(event)).toBe(false);
  });

  it('contains searches the leaves of a deep object', () => {
    const event = { requestParameters: deepObject('Suspended') };
    expect(selectionRule({ 'requestParameters|contains': 'suspend' }).match(event)).toBe(true);
  });

  it('an array value deep in arrays is tested element by element', () => {
    const event = { tags: deepArray('prod') };
    expect(selectionRule({ tags: 'prod' }).match(event)).toBe(true);
  });

  it('keywords search a deep event', () => {
    expect(selectionRule(['xmrig']).match({ a: deepObject('run xmrig now') })).toBe(true);
    expect(selectionRule(['xmrig']).match({ a: deepArray('nothing') })).toBe(false);
  });

  it('an indexed field holding deep arrays is looked up by its leaves', () => {
    const rule = selectionRule({ eventName: 'StopLogging' });
    const set = buildRuleSet([rule]);
    expect(set.evaluate('cloudtrail', { eventName: deepArray('StopLogging') })).toEqual([rule]);
  });

  it('templates and dedup keys read deep values', () => {
    const doc = { a: deepArray({ b: 'x' }) };
    expect(scalars(readPath(doc, 'a.b'))).toEqual(['x']);
  });

  it('a path through arrays keeps document order', () => {
    const doc = { r: [{ arn: 'one' }, [{ arn: 'two' }, { arn: 'three' }], { arn: 'four' }] };
    expect(scalars(readPath(doc, 'r.arn'))).toEqual(['one', 'two', 'three', 'four']);
  });
});
