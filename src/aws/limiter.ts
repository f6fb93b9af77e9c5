/**
 * A token bucket per key (account + region + API). Each caller reserves its
 * slot synchronously, so concurrent callers queue in arrival order and are
 * spaced exactly 1/rate apart once the burst is spent.
 */
import { systemClock, type Clock } from './clock.js';

export interface LimiterOptions {
  ratePerSecond: number;
  /** Calls allowed back to back before spacing starts. */
  burst?: number;
  clock?: Clock;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;
  private readonly clock: Clock;

  constructor(options: LimiterOptions) {
    this.rate = options.ratePerSecond;
    this.burst = options.burst ?? 1;
    this.clock = options.clock ?? systemClock;
  }

  /** Resolves when the caller may make its call. */
  async take(key: string): Promise<void> {
    const wait = this.reserve(key);
    if (wait > 0) await this.clock.sleep(wait);
  }

  /** Milliseconds the caller must wait; the token is taken now, possibly on credit. */
  reserve(key: string): number {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    const refilled = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) * this.rate) / 1000);
    const tokens = refilled - 1;
    this.buckets.set(key, { tokens, updatedAt: now });
    return tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / this.rate);
  }
}

export function limiterKey(accountId: string, region: string, api: string): string {
  return `${accountId}:${region}:${api}`;
}
