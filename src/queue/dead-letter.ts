import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../core/log.js';
import { keys } from './settings.js';

/**
 * Every item Picket could not use, kept with why, where it came from, when,
 * and the raw input (capped) so it can be read again once fixed. Entries sit
 * in one hash (id → JSON) with a sorted set by time for listing and trimming.
 */

export type DeadLetterStage = 'read' | 'intake' | 'triage' | 'job';

export interface DeadLetterInput {
  reason: string;
  stage: DeadLetterStage;
  /** Where it came from: a file path, 'http', 'sqs:<queue>', 'poller:<account>/<region>'. */
  source: string;
  /** Position within the source and the wrapper, when the reader got that far. */
  index?: number;
  wrapper?: string;
  jobId?: string;
  raw: unknown;
}

const EntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  reason: z.string(),
  stage: z.enum(['read', 'intake', 'triage', 'job']),
  source: z.string(),
  index: z.number().optional(),
  wrapper: z.string().optional(),
  jobId: z.string().optional(),
  raw: z.string(),
  rawBytes: z.number(),
  truncated: z.boolean(),
  /** base64 for input that is not UTF-8 text (gzip, UTF-16, binary), so replay gets the same bytes. */
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
});

export type DeadLetter = z.infer<typeof EntrySchema>;
export type DeadLetterSummary = Omit<DeadLetter, 'raw'>;

export interface DeadLetterStore {
  add(input: DeadLetterInput): Promise<string>;
  list(limit?: number): Promise<DeadLetterSummary[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  remove(id: string): Promise<boolean>;
  purge(): Promise<number>;
  count(): Promise<number>;
}

export interface DeadLetterOptions {
  maxRawBytes?: number;
  /** Oldest entries are trimmed past this, so a flood of junk cannot fill Redis (which runs noeviction). */
  maxEntries?: number;
  now?: () => Date;
  log?: Logger;
}

export const DEFAULT_MAX_RAW_BYTES = 256 * 1024;
export const DEFAULT_MAX_ENTRIES = 50_000;

export function createDeadLetterStore(redis: Redis, prefix: string, options: DeadLetterOptions = {}): DeadLetterStore {
  const k = keys(prefix);
  const maxRaw = options.maxRawBytes ?? DEFAULT_MAX_RAW_BYTES;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const now = options.now ?? (() => new Date());

  const add = async (input: DeadLetterInput): Promise<string> => {
    const at = now();
    const id = `dl-${at.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
    const entry: DeadLetter = { id, at: at.toISOString(), ...describe(input), ...capRaw(input.raw, maxRaw) };
    await redis.multi().hset(k.deadLetters, id, JSON.stringify(entry)).zadd(k.deadLetterIndex, at.getTime(), id).exec();
    options.log?.warn('dead-lettered', { id, stage: input.stage, source: input.source, reason: input.reason });
    await trim(redis, prefix, maxEntries, options.log);
    return id;
  };

  const get = async (id: string) => parseEntry(await redis.hget(k.deadLetters, id));

  const list = async (limit = 100) => {
    const ids = await redis.zrevrange(k.deadLetterIndex, 0, limit - 1);
    if (ids.length === 0) return [];
    const values = await redis.hmget(k.deadLetters, ...ids);
    return values.map(parseEntry).filter((e): e is DeadLetter => e !== undefined).map(summary);
  };

  const remove = async (id: string) => {
    const [[, removed] = []] = (await redis.multi().hdel(k.deadLetters, id).zrem(k.deadLetterIndex, id).exec()) ?? [];
    return removed === 1;
  };

  const purge = async () => {
    const count = await redis.hlen(k.deadLetters);
    await redis.unlink(k.deadLetters, k.deadLetterIndex);
    return count;
  };

  return { add, list, get, remove, purge, count: () => redis.hlen(k.deadLetters) };
}

function describe(input: DeadLetterInput): Omit<DeadLetter, 'id' | 'at' | 'raw' | 'rawBytes' | 'truncated' | 'encoding'> {
  const { reason, stage, source, index, wrapper, jobId } = input;
  return { reason: reason.slice(0, 2_000), stage, source, index, wrapper, jobId };
}

/** The raw input, cut at `max` bytes; `truncated` says a replay is impossible. */
export function capRaw(raw: unknown, max: number): { raw: string; rawBytes: number; truncated: boolean; encoding: 'utf8' | 'base64' } {
  const buffer = toBuffer(raw);
  const kept = buffer.length <= max ? buffer : buffer.subarray(0, max);
  const encoding = isUtf8(buffer) ? 'utf8' : 'base64';
  return { raw: kept.toString(encoding), rawBytes: buffer.length, truncated: kept.length < buffer.length, encoding };
}

function toBuffer(raw: unknown): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
  if (raw === undefined) return Buffer.alloc(0);
  return Buffer.from(JSON.stringify(raw) ?? String(raw), 'utf8');
}

/** The stored raw back as the bytes that arrived. */
export function rawForReplay(entry: DeadLetter): Buffer | string {
  return entry.encoding === 'base64' ? Buffer.from(entry.raw, 'base64') : entry.raw;
}

function parseEntry(value: string | null | undefined): DeadLetter | undefined {
  if (!value) return undefined;
  const parsed = EntrySchema.safeParse(JSON.parse(value));
  return parsed.success ? parsed.data : undefined;
}

function summary(entry: DeadLetter): DeadLetterSummary {
  const { raw: _raw, ...rest } = entry;
  return rest;
}

async function trim(redis: Redis, prefix: string, maxEntries: number, log?: Logger): Promise<void> {
  const k = keys(prefix);
  const excess = (await redis.zcard(k.deadLetterIndex)) - maxEntries;
  if (excess <= 0) return;
  const oldest = await redis.zrange(k.deadLetterIndex, 0, excess - 1);
  await redis.multi().hdel(k.deadLetters, ...oldest).zrem(k.deadLetterIndex, ...oldest).exec();
  log?.error('dead-letter store full: oldest entries dropped', { dropped: oldest.length, maxEntries });
}
