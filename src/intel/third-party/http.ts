/**
 * The one HTTP GET third-party intel adapters use: JSON in, a typed error
 * out. A 404 means "never heard of it" for these services, not a failure.
 */
import { PicketError, RateLimitedError } from '../../core/errors.js';

export class IntelHttpError extends PicketError {
  constructor(readonly status: number, service: string) {
    super('INTEL_HTTP', `${service} answered HTTP ${status}`);
  }
}

export async function getJson(service: string, url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown | undefined> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal });
  if (res.status === 404) return undefined;
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after') ?? '60');
    throw new RateLimitedError(`${service} rate limit`, (Number.isFinite(after) ? after : 60) * 1000);
  }
  if (!res.ok) throw new IntelHttpError(res.status, service);
  return res.json();
}
