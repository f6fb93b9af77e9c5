import { describe, expect, it } from 'vitest';
import { awsRequestId, classifyAwsError, type AwsErrorClass } from '../../src/aws/errors.js';

function sdkError(name: string, extra: Record<string, unknown> = {}): Error {
  const err = new Error(`${name} happened`);
  err.name = name;
  Object.assign(err, { $metadata: { httpStatusCode: 400, requestId: `req-${name}` }, $fault: 'client', ...extra });
  return err;
}

const cases: [string, unknown, AwsErrorClass][] = [
  ['ThrottlingException', sdkError('ThrottlingException'), 'throttling'],
  ['Throttling (IAM/STS query APIs)', sdkError('Throttling'), 'throttling'],
  ['RequestLimitExceeded (EC2)', sdkError('RequestLimitExceeded', { $metadata: { httpStatusCode: 503 } }), 'throttling'],
  ['SlowDown (S3)', sdkError('SlowDown', { $metadata: { httpStatusCode: 503 } }), 'throttling'],
  ['HTTP 429 with an unknown name', sdkError('Weird', { $metadata: { httpStatusCode: 429 } }), 'throttling'],
  ['$retryable.throttling', sdkError('Odd', { $retryable: { throttling: true } }), 'throttling'],
  ['AccessDenied', sdkError('AccessDenied', { $metadata: { httpStatusCode: 403 } }), 'access-denied'],
  ['UnauthorizedOperation (EC2)', sdkError('UnauthorizedOperation'), 'access-denied'],
  ['ExpiredToken', sdkError('ExpiredToken'), 'access-denied'],
  ['NoSuchEntity (IAM)', sdkError('NoSuchEntity', { $metadata: { httpStatusCode: 404 } }), 'not-found'],
  ['InvalidInstanceID.NotFound', sdkError('InvalidInstanceID.NotFound'), 'not-found'],
  ['DBInstanceNotFound', sdkError('DBInstanceNotFound'), 'not-found'],
  ['NoSuchPublicAccessBlockConfiguration', sdkError('NoSuchPublicAccessBlockConfiguration'), 'not-found'],
  ['ServiceUnavailable 503', sdkError('ServiceUnavailable', { $metadata: { httpStatusCode: 503 }, $fault: 'server' }), 'transient'],
  ['$retryable without throttling', sdkError('Flaky', { $retryable: {} }), 'transient'],
  ['socket reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
  ['TimeoutError', sdkError('TimeoutError', { $metadata: {} }), 'transient'],
  ['InternalFailure 500', sdkError('InternalFailure', { $metadata: { httpStatusCode: 500 }, $fault: 'server' }), 'server'],
  ['ValidationException', sdkError('ValidationException'), 'client'],
  ['a plain string', 'boom', 'client'],
];

describe('classifyAwsError', () => {
  it.each(cases)('%s', (_label, err, expected) => {
    expect(classifyAwsError(err)).toBe(expected);
  });

  it('reads the request id from $metadata', () => {
    expect(awsRequestId(sdkError('AccessDenied'))).toBe('req-AccessDenied');
    expect(awsRequestId(new Error('no metadata'))).toBeUndefined();
  });
});
