/**
 * How AWS providers reach an account: the signal's account and region, the
 * provider's call budget, and the shared retry/logging wrapper.
 */
import type { AwsAccess, ClientClass } from '../aws/access.js';
import { callAws } from '../aws/call.js';
import type { Signal } from '../model/signal.js';
import type { EnrichContext, EnrichDeps } from './types.js';

export interface AwsTarget {
  access: AwsAccess;
  accountId: string;
  region: string;
}

/** Why an AWS provider cannot run for this signal, if it cannot. */
export function awsUnready(deps: EnrichDeps, signal: Signal): string | undefined {
  if (!deps.aws) return 'no AWS access configured';
  if (!signal.accountId) return 'the signal names no account';
  if (!deps.aws.canReach(signal.accountId)) return `account ${signal.accountId} is not configured for AWS access`;
  return undefined;
}

export function awsTarget(ctx: EnrichContext): AwsTarget {
  const { aws } = ctx.deps;
  const accountId = ctx.signal.accountId;
  if (!aws || !aws.canReach(accountId)) throw new Error(awsUnready(ctx.deps, ctx.signal));
  return { access: aws, accountId, region: ctx.signal.region ?? 'us-east-1' };
}

/** One budgeted, retried, logged call on a client of `ctor` in the target account. */
export async function awsCall<C, T>(ctx: EnrichContext, target: AwsTarget, ctor: ClientClass<C>, operation: string, send: (client: C, opts: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
  const client = target.access.client(ctor, target.accountId, target.region);
  return callAws(target.access, { accountId: target.accountId, region: target.region, operation }, () => {
    ctx.budget.spend();
    return send(client, { abortSignal: ctx.abort });
  });
}
