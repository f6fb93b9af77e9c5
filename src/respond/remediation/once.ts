import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RetryLaterError } from '../../core/errors.js';
import { respondKeys } from '../keys.js';
import { parseJson } from '../store-json.js';

/**
 * At most one effective call per operation key, across repeated clicks, job
 * retries, workers, and the automatic and manual paths running at once.
 *
 * Two records per operation:
 * - the lease (`<op>:lease`, owner token, Redis TTL renewed while the call
 *   runs): only its holder may call AWS. A held lease means a job is calling
 *   right now; a job that finds one waits for the outcome instead of calling.
 * - the claim (`<op>`): `claimed` once someone has started the call, `done`
 *   (with the request id) after it returned. A claim still `claimed` with no
 *   lease was abandoned by a crash: the next holder asks AWS whether the change
 *   landed before it calls again.
 */

const CLAIM_SECONDS = 30 * 24 * 3600;
const LEASE_MS = 30_000;
const RENEW_MS = 10_000;
const POLL_MS = 50;
/** How long a job waits for another job's call before handing itself back to the queue. */
const WAIT_MS = 20_000;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export interface OnceResult {
  called: boolean;
  requestId?: string;
}

export interface OnceSteps {
  call: () => Promise<string | undefined>;
  /** True when the change is already in effect (asked after a crash, or while another job is calling). */
  landed: () => Promise<boolean>;
}

export async function runOnce(redis: Redis, prefix: string, opKey: string, steps: OnceSteps): Promise<OnceResult> {
  const key = respondKeys(prefix).idem(opKey);
  const lease = `${key}:lease`;
  const owner = randomBytes(8).toString('hex');

  for (let waited = 0; ; ) {
    if ((await redis.set(lease, owner, 'PX', LEASE_MS, 'NX')) === 'OK') break;
    const done = readDone(parseJson(await redis.get(key)));
    if (done) return { called: false, requestId: done.requestId };
    // Another job holds the lease and is calling: if its change already shows, there is nothing to do.
    if (waited === 0 && (await steps.landed())) return { called: false };
    if (waited >= WAIT_MS) throw new RetryLaterError(`${opKey} is being applied by another job`, { code: 'REMEDIATION_IN_FLIGHT' });
    await sleep(POLL_MS);
    waited += POLL_MS;
  }

  try {
    return await holding(redis, key, steps, () => redis.eval(RENEW, 1, lease, owner, String(LEASE_MS)));
  } finally {
    await redis.eval(RELEASE, 1, lease, owner);
  }
}

/** With the lease held: settle an abandoned claim by asking AWS, else claim and call, renewing the lease meanwhile. */
async function holding(redis: Redis, key: string, steps: OnceSteps, renew: () => Promise<unknown>): Promise<OnceResult> {
  const prior = parseJson(await redis.get(key));
  const done = readDone(prior);
  if (done) return { called: false, requestId: done.requestId };
  if (prior !== undefined && prior !== null && (await steps.landed())) {
    await markDone(redis, key, undefined);
    return { called: false };
  }

  await redis.set(key, JSON.stringify({ state: 'claimed' }), 'EX', CLAIM_SECONDS);
  const timer = setInterval(() => void renew().catch(() => undefined), RENEW_MS);
  try {
    // A failed call leaves the claim in place: the next holder asks AWS before calling again.
    const requestId = await steps.call();
    await markDone(redis, key, requestId);
    return { called: true, requestId };
  } finally {
    clearInterval(timer);
  }
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
