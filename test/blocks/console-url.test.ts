import { describe, expect, it } from 'vitest';
import { guardDutyConsoleUrl } from '../../blocks/console-url.js';
import type { Signal } from '../../src/model/signal.js';
import { FINDING_ID, makeSignal } from './factory.js';

describe('guardDutyConsoleUrl', () => {
  it.each<[string, string, string]>([
    ['aws', 'us-east-1', `https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=${FINDING_ID}`],
    ['aws', 'ap-southeast-2', `https://ap-southeast-2.console.aws.amazon.com/guardduty/home?region=ap-southeast-2#/findings?macros=current&fId=${FINDING_ID}`],
    ['aws-us-gov', 'us-gov-west-1', `https://us-gov-west-1.console.amazonaws-us-gov.com/guardduty/home?region=us-gov-west-1#/findings?macros=current&fId=${FINDING_ID}`],
    ['aws-cn', 'cn-north-1', `https://cn-north-1.console.amazonaws.cn/guardduty/home?region=cn-north-1#/findings?macros=current&fId=${FINDING_ID}`],
    ['', 'cn-northwest-1', `https://cn-northwest-1.console.amazonaws.cn/guardduty/home?region=cn-northwest-1#/findings?macros=current&fId=${FINDING_ID}`],
  ])('partition %j in %s', (partition, region, expected) => {
    expect(guardDutyConsoleUrl(makeSignal({ partition, region }))).toBe(expected);
  });

  it.each<[string, Partial<Signal>]>([
    ['a region with a host appended', { region: 'us-east-1.evil.example' }],
    ['a region with a path', { region: 'us-east-1/x' }],
    ['an upper-case region', { region: 'US-EAST-1' }],
    ['a region without a number', { region: 'us-east' }],
    ['a region with a newline', { region: 'us-east-1\n' }],
    ['no region', { region: undefined }],
    ['an id with a slash', { id: 'abc/../def' }],
    ['an id with a query', { id: 'abc?x=1' }],
    ['an id with a fragment', { id: 'abc#x' }],
    ['an id with a space', { id: 'abc def' }],
    ['an id with a link', { id: '<http://evil|x>' }],
    ['an empty id', { id: '' }],
    ['an absurdly long id', { id: 'a'.repeat(257) }],
    ['a CloudTrail event', { source: 'cloudtrail' }],
    ['a malware scan result', { source: 'malware-scan' }],
    ['a partition without a public console', { partition: 'aws-iso', region: 'us-iso-east-1' }],
    ['a partition that contradicts the region', { partition: 'aws', region: 'cn-north-1' }],
  ])('refuses %s', (_name, over) => {
    expect(guardDutyConsoleUrl(makeSignal(over))).toBeUndefined();
  });
});
