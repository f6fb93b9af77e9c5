/**
 * Every AWS call goes through `callAws`: it retries throttling and transient
 * failures with capped exponential backoff and jitter, and logs each attempt
 * with its request id and error class.
 */
import { errorMessage, PicketError } from '../core/errors.js';
import type { AwsAccess } from './access.js';
import { awsErrorName, awsRequestId, classifyAwsError, isRetryable, type AwsErrorClass } from './errors.js';

export interface CallTarget {
  accountId: string;
  region: string;
  operation: string;
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
  /** 0..1, returns the jitter fraction; fixed in tests. */
  random?: () => number;
}

export const defaultRetry: RetryPolicy = { attempts: 4, baseMs: 200, capMs: 4_000 };

/** An AWS call that failed for good; `kind` says why. */
export class AwsCallError extends PicketError {
  constructor(
    readonly kind: AwsErrorClass,
    readonly operation: string,
    readonly requestId: string | undefined,
    options: { cause: unknown },
  ) {
    super(`AWS_${kind.toUpperCase().replace('-', '_')}`, `${operation}: ${kind} (${awsErrorName(options.cause)})`, options);
  }
}

function requestIdOf(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const meta = (result as { $metadata?: { requestId?: string } }).$metadata;
  return meta?.requestId;
}

export async function callAws<T>(access: AwsAccess, target: CallTarget, send: () => Promise<T>, retry: RetryPolicy = defaultRetry): Promise<T> {
  const log = access.log.child({ accountId: target.accountId, region: target.region, operation: target.operation });
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await send();
      log.debug('aws call', { awsRequestId: requestIdOf(result), attempt });
      return result;
    } catch (err) {
      const kind = classifyAwsError(err);
      const fields = { awsRequestId: awsRequestId(err), class: kind, attempt, error: errorMessage(err) };
      if (!isRetryable(kind) || attempt >= retry.attempts) {
        log.warn('aws call failed', fields);
        throw new AwsCallError(kind, target.operation, awsRequestId(err), { cause: err });
      }
      log.info('aws call retrying', fields);
      await access.clock.sleep(backoffMs(attempt, retry));
    }
  }
}

/** Full jitter over an exponential ceiling: attempt 1 waits up to base, then 2x, 4x... capped. */
export function backoffMs(attempt: number, retry: RetryPolicy): number {
  const ceiling = Math.min(retry.capMs, retry.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (retry.random ?? Math.random)());
}
