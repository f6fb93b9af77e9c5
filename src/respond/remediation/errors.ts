import { UnrecoverableError } from 'bullmq';
import { errorMessage } from '../../core/errors.js';

/**
 * AWS errors the remediation job should not retry: the caller was refused or
 * the thing is not there. Throttling and server faults are retried.
 */
const PERMANENT = new Set(['AccessDenied', 'AccessDeniedException', 'NoSuchEntity', 'NoSuchEntityException', 'ValidationError', 'InvalidInput', 'MalformedPolicyDocument', 'UnauthorizedOperation']);

export interface AwsFailure {
  permanent: boolean;
  name: string;
  message: string;
  requestId?: string;
}

export function classifyAwsError(err: unknown): AwsFailure {
  const name = err instanceof Error ? err.name : 'Error';
  const meta = typeof err === 'object' && err !== null && '$metadata' in err ? err.$metadata : undefined;
  const requestId = typeof meta === 'object' && meta !== null && 'requestId' in meta && typeof meta.requestId === 'string' ? meta.requestId : undefined;
  const fault = typeof err === 'object' && err !== null && '$fault' in err ? err.$fault : undefined;
  const permanent = PERMANENT.has(name) || (fault === 'client' && !/Throttl|TooManyRequests|RequestLimitExceeded/.test(name));
  return { permanent, name, message: errorMessage(err), requestId };
}

export function giveUp(failure: AwsFailure): UnrecoverableError {
  return new UnrecoverableError(`${failure.name}: ${failure.message}`);
}
