import type { Redis } from 'ioredis';
import { respondKeys } from '../keys.js';
import { parseJson } from '../store-json.js';

/**
 * At most one effective call per operation key, across repeated clicks, job
 * retries and workers. The claim is taken before the AWS call and turned into
 * `done` (with the request id) after it; a retry that finds `done` skips the
 * call. A claim left by a crash is settled by asking AWS whether the change
 * already landed, so a retry never repeats a call that succeeded.
 */

const CLAIM_SECONDS = 30 * 24 * 3600;

export interface OnceResult {
  called: boolean;
  requestId?: string;
}

export interface OnceSteps {
  call: () => Promise<string | undefined>;
  /** True when the change is already in effect (checked only after a crash mid-call). */
  landed: () => Promise<boolean>;
}

export async function runOnce(redis: Redis, prefix: string, opKey: string, steps: OnceSteps): Promise<OnceResult> {
  const key = respondKeys(prefix).idem(opKey);
  const claimed = await redis.set(key, JSON.stringify({ state: 'claimed' }), 'EX', CLAIM_SECONDS, 'NX');
  if (claimed !== 'OK') {
    const prior = parseJson(await redis.get(key));
    const done = readDone(prior);
    if (done) return { called: false, requestId: done.requestId };
    if (await steps.landed()) {
      await markDone(redis, key, undefined);
      return { called: false };
    }
  }

  // A failed call leaves the claim in place: the retry asks AWS before calling again.
  const requestId = await steps.call();
  await markDone(redis, key, requestId);
  return { called: true, requestId };
}

async function markDone(redis: Redis, key: string, requestId: string | undefined): Promise<void> {
  await redis.set(key, JSON.stringify({ state: 'done', requestId }), 'EX', CLAIM_SECONDS);
}

function readDone(value: unknown): { requestId?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const state = 'state' in value ? value.state : undefined;
  if (state !== 'done') return undefined;
  const requestId = 'requestId' in value && typeof value.requestId === 'string' ? value.requestId : undefined;
  return { requestId };
}
