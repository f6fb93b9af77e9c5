/**
 * One place that reads an AWS SDK error and says what kind of failure it is,
 * so callers decide on retry or give-up by class, never by message text.
 */
import { isObject } from '../core/json.js';

export type AwsErrorClass = 'throttling' | 'transient' | 'access-denied' | 'not-found' | 'client' | 'server';

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

const TRANSIENT = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

const ACCESS_DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess|AuthFailure|InvalidClientTokenId|ExpiredToken|ExpiredTokenException|UnrecognizedClientException|SignatureDoesNotMatch|NotAuthorized|Forbidden)$/;
const NOT_FOUND = /^(NoSuchEntity|NoSuchEntityException|NoSuchBucket|NoSuchBucketPolicy|NoSuchPublicAccessBlockConfiguration|ServerSideEncryptionConfigurationNotFoundError|NotFound|ResourceNotFoundException|DBInstanceNotFound|DBInstanceNotFoundFault)$|\.NotFound$|^InvalidInstanceID\.(NotFound|Malformed)$/;

interface Metadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
}

function metadataOf(err: unknown): Metadata {
  if (!isObject(err) || !isObject(err.$metadata)) return {};
  const m = err.$metadata;
  return {
    httpStatusCode: typeof m.httpStatusCode === 'number' ? m.httpStatusCode : undefined,
    requestId: typeof m.requestId === 'string' ? m.requestId : undefined,
    extendedRequestId: typeof m.extendedRequestId === 'string' ? m.extendedRequestId : undefined,
  };
}

function nameOf(err: unknown): string {
  if (!isObject(err) && !(err instanceof Error)) return '';
  const record = err as Record<string, unknown>;
  if (typeof record.name === 'string' && record.name !== 'Error') return record.name;
  return typeof record.code === 'string' ? record.code : '';
}

function retryableOf(err: unknown): { throttling: boolean } | undefined {
  if (!isObject(err) && !(err instanceof Error)) return undefined;
  const value = (err as Record<string, unknown>).$retryable;
  if (!isObject(value)) return undefined;
  return { throttling: value.throttling === true };
}

/** The class of an AWS SDK v3 error (or a network error beneath it). */
export function classifyAwsError(err: unknown): AwsErrorClass {
  const name = nameOf(err);
  const status = metadataOf(err).httpStatusCode;
  const retryable = retryableOf(err);

  if (THROTTLING.has(name) || status === 429 || retryable?.throttling) return 'throttling';
  if (ACCESS_DENIED.test(name) || status === 403) return 'access-denied';
  if (NOT_FOUND.test(name) || status === 404) return 'not-found';
  if (TRANSIENT.has(name) || retryable || status === 502 || status === 503 || status === 504) return 'transient';

  const fault = isObject(err) || err instanceof Error ? (err as Record<string, unknown>).$fault : undefined;
  if (fault === 'server' || (status !== undefined && status >= 500)) return 'server';
  return 'client';
}

/** The request id AWS returned, for every log line about the call. */
export function awsRequestId(err: unknown): string | undefined {
  const m = metadataOf(err);
  return m.requestId ?? m.extendedRequestId;
}

export function awsErrorName(err: unknown): string {
  return nameOf(err) || 'Error';
}

/** Throttling and transient failures may pass on a later attempt; the rest will not. */
export function isRetryable(kind: AwsErrorClass): boolean {
  return kind === 'throttling' || kind === 'transient';
}
